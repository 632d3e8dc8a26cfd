package io.imagehub.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import io.imagehub.it.TestServer;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The web console in a real browser (Debian's Chromium) against a real node: what a person sees and can do. */
class ConsoleTest {
    private static TestServer server;
    private static ConsoleBrowser browser;

    @BeforeAll
    static void start() throws IOException {
        server = new TestServer();
        browser = new ConsoleBrowser();
    }

    @AfterAll
    static void stop() throws IOException {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static String url(String path) {
        return "http://" + server.endpoint() + path;
    }

    /** Signs in through the form and lands on the Images page. */
    static Page signIn(BrowserContext context, TestServer.Account account) {
        Page page = context.newPage();
        page.navigate(url("/console"));
        page.getByLabel("SecretId").fill(account.secretId());
        page.getByLabel("SecretKey").fill(account.secretKey());
        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Sign in")).click();
        assertThat(page.locator("h1")).hasText("Images");
        return page;
    }

    @Test
    void signInWithAWrongKeyShowsTheApiRefusal() {
        TestServer.Account alice = server.createAccount("alice");
        try (BrowserContext context = browser.context()) {
            Page page = context.newPage();
            page.navigate(url("/console/images"));
            assertThat(page).hasURL(url("/console/signin?expired=1"));
            page.getByLabel("SecretId").fill(alice.secretId());
            page.getByLabel("SecretKey").fill("not-the-key");
            page.locator("button[type=submit]").click();
            assertThat(page.getByRole(com.microsoft.playwright.options.AriaRole.ALERT))
                    .containsText("AuthFailure.SignatureFailure");
            browser.screenshot(page, "signin");
            assertThat(context.cookies()).noneMatch(c -> c.name.equals(Console.COOKIE));
        }
    }

    @Test
    void signedInUserSeesTheThreeTabsAndSignsOut() {
        TestServer.Account bob = server.createAccount("bob");
        try (BrowserContext context = browser.context()) {
            Page page = signIn(context, bob);
            assertThat(page.locator(".who")).hasText(bob.accountId());
            assertThat(page.locator(".tabs a[aria-current=page]")).hasText("Custom images");
            assertThat(page.locator("#image-table caption")).hasText("0 images");

            page.getByRole(com.microsoft.playwright.options.AriaRole.LINK,
                    new Page.GetByRoleOptions().setName("Public images")).click();
            assertThat(page.locator(".tabs a[aria-current=page]")).hasText("Public images");
            assertThat(page.locator("#image-table tbody tr[data-image]").first()).containsText("NORMAL");
            assertThat(page.locator("#image-table tbody tr[data-image] code").first()).containsText("sha256:");
            browser.screenshot(page, "images-public");

            page.getByRole(com.microsoft.playwright.options.AriaRole.LINK,
                    new Page.GetByRoleOptions().setName("Shared images")).click();
            assertThat(page.locator("#image-table td.empty")).hasText("No images here.");

            var cookie = context.cookies().stream().filter(c -> c.name.equals(Console.COOKIE)).findFirst().orElseThrow();
            assertThat(cookie.httpOnly).isTrue();
            assertThat(cookie.sameSite).hasToString("STRICT");

            page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                    new Page.GetByRoleOptions().setName("Sign out")).click();
            assertThat(page.locator("h2")).hasText("Sign in");
            page.navigate(url("/console/images"));
            assertThat(page).hasURL(url("/console/signin?expired=1"));
        }
    }
}
