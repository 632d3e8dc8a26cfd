package io.imagehub.console;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One headless Debian Chromium ({@code /usr/bin/chromium}) for a test class, driven by Playwright for Java. Playwright
 * downloads no browser (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD); it only unpacks its driver from its jar. Screenshots go
 * to target/console-screenshots, or to the directory named by {@code -Dimagehub.screenshots=docs/screenshots} (how
 * the committed ones in docs/screenshots are made).
 */
final class ConsoleBrowser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    /** This machine's network is closed: Chromium's own background connections would only wait and fail. */
    private static final List<String> ARGS = List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run");

    private final Playwright playwright;
    private final Browser browser;
    private final Path screenshots;

    ConsoleBrowser() {
        System.setProperty("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        this.playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        this.browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(CHROMIUM).setHeadless(true).setArgs(ARGS));
        this.screenshots = Path.of(System.getProperty("imagehub.screenshots", "target/console-screenshots"));
    }

    /** A fresh browser profile (its own cookies) with a 1280x800 window. */
    BrowserContext context() {
        return browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800));
    }

    /** A fresh profile with a phone-sized window. */
    BrowserContext phone() {
        return browser.newContext(new Browser.NewContextOptions().setViewportSize(390, 844).setIsMobile(true));
    }

    void screenshot(Page page, String name) {
        try {
            Files.createDirectories(screenshots);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        page.screenshot(new Page.ScreenshotOptions().setPath(screenshots.resolve(name + ".png")));
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
