package io.imagehub.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.Cookie;
import io.imagehub.api.Tc3Signer;
import io.imagehub.config.StoreConfig;
import io.imagehub.domain.ErrorCodes;
import io.imagehub.it.ImageBytes;
import io.imagehub.it.TestServer;
import io.imagehub.it.ThrottledFileServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web console in a real browser (Debian's Chromium) against a real node: what a person sees and can do. One
 * browser and one node for the class; each test makes its own accounts. Imports and copies are throttled so that
 * their progress is visible for a moment (the tests wait for the outcome, never for a time).
 */
class ConsoleTest {
    private static final int DISK_BYTES = 16 << 20;
    /** Each region its own store, so that a copy moves bytes (at this rate) and shows progress. */
    private static final long COPY_BYTES_PER_SECOND = 12 << 20;
    private static final LocatorAssertions.ContainsTextOptions SLOW =
            new LocatorAssertions.ContainsTextOptions().setTimeout(30_000);

    private static Path work;
    private static ThrottledFileServer files;
    private static TestServer server;
    private static ConsoleBrowser browser;
    private static String diskUrl;

    @BeforeAll
    static void start() throws IOException {
        work = Files.createTempDirectory("imagehub-console");
        files = new ThrottledFileServer();
        files.setBytesPerSecond(8 << 20);
        diskUrl = files.put("disk.raw", Files.write(work.resolve("disk.raw"), ImageBytes.disk(DISK_BYTES, 13)));
        server = new TestServer(c -> {
            c.importAllow.add(files.baseUrl());
            c.stores = Map.of("gz", StoreConfig.directory(work.resolve("gz")),
                    "sh", StoreConfig.directory(work.resolve("sh")), "bj", StoreConfig.directory(work.resolve("bj")));
            c.regionStore = Map.of("ap-guangzhou", "gz", "ap-shanghai", "sh", "ap-beijing", "bj");
            c.copyBytesPerSecond = COPY_BYTES_PER_SECOND;
            c.instanceTransitionMillis = 200;
        });
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
        if (files != null) {
            files.close();
        }
        TestServer.deleteTree(work);
    }

    private static String url(String path) {
        return "http://" + server.endpoint() + path;
    }

    private static Locator button(Page page, String name) {
        return page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true));
    }

    private static Locator link(Page page, String name) {
        return page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(name).setExact(true));
    }

    /** Signs in through the form and lands on the Images page. */
    private static Page signIn(BrowserContext context, TestServer.Account account) {
        Page page = context.newPage();
        page.navigate(url("/console"));
        page.getByLabel("SecretId").fill(account.secretId());
        page.getByLabel("SecretKey").fill(account.secretKey());
        button(page, "Sign in").click();
        assertThat(page.locator("h1")).hasText("Images");
        return page;
    }

    /** Imports the test disk from the Custom images tab and waits, on the page, until it is NORMAL. */
    private static String importThroughTheForm(Page page, String name, boolean screenshot) {
        page.locator("#import summary").click();
        page.getByLabel("Image URL").fill(diskUrl);
        page.locator("#import").getByLabel("Name").fill(name);
        button(page, "Import").click();
        assertThat(page.locator(".notice")).hasText("The import has started.");
        Locator row = page.locator("#image-table tr[data-image]", new Page.LocatorOptions().setHasText(name));
        assertThat(row.locator(".badge")).hasText("IMPORTING");
        assertThat(row.locator("progress")).isVisible();
        if (screenshot) {
            browser.screenshot(page, "images-custom-importing");
        }
        assertThat(row.locator(".badge")).containsText("NORMAL", SLOW); // the live table, no reload
        assertThat(row.locator("progress")).hasCount(0);
        return row.getAttribute("data-image");
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
            button(page, "Sign in").click();
            assertThat(page.getByRole(AriaRole.ALERT)).containsText(ErrorCodes.AUTH_SIGNATURE_FAILURE);
            browser.screenshot(page, "signin");
            assertThat(context.cookies()).noneMatch(c -> c.name.equals(Console.COOKIE));
        }
    }

    @Test
    void ownerImportsSharesIsRefusedDeleteCancelsAndCopiesRecipientLaunchesAndCapturesIt() {
        List<TestServer.Account> accounts = server.createAccounts("team", 3);
        TestServer.Account owner = accounts.get(0);
        TestServer.Account recipient = accounts.get(1);
        TestServer.Account other = accounts.get(2);
        try (BrowserContext ownerContext = browser.context(); BrowserContext recipientContext = browser.context()) {
            Page page = signIn(ownerContext, owner);
            assertThat(page.locator(".who")).hasText(owner.accountId());
            assertThat(page.locator(".tabs a[aria-current=page]")).hasText("Custom images");
            link(page, "Public images").click();
            assertThat(page.locator(".tabs a[aria-current=page]")).hasText("Public images");
            assertThat(page.locator("#image-table tr[data-image] code").first()).containsText("sha256:");
            browser.screenshot(page, "images-public");
            link(page, "Custom images").click();
            String imageId = importThroughTheForm(page, "golden", true);
            assertThat(page.locator("tr[data-image=" + imageId + "] .shares")).hasText("0 of 50");
            browser.screenshot(page, "images-custom");

            // share with two accounts at once
            link(page, imageId).click();
            button(page, "Share").click();
            page.getByLabel("Account IDs").fill(recipient.accountId() + ",\n" + other.accountId());
            page.locator("#share-dialog button[type=submit]").click();
            assertThat(page.locator(".notice")).hasText("Shared.");
            assertThat(page.locator("#shares tr[data-account]")).hasCount(2);
            assertThat(page.locator("#share-slots")).hasText("2 of 50");

            // delete while shared: offered disabled with the reason; forced, the API refuses it and says why
            Locator delete = button(page, "Delete");
            assertThat(delete).isDisabled();
            assertThat(page.locator("#delete-reason")).containsText("shared with 2 account(s)");
            browser.screenshot(page, "image-owner");
            page.evaluate("document.querySelector('#delete-form button').disabled = false");
            delete.click();
            assertThat(page.getByRole(AriaRole.ALERT)).containsText(ErrorCodes.IMAGE_ID_IN_SHARED);
            assertThat(page.getByRole(AriaRole.ALERT)).containsText("cancel all shares before deleting it");
            assertThat(page.locator("#audit tr.refused")).containsText("DeleteImages");

            // the recipient finds it under Shared images with the owner's account and the warning
            Page shared = signIn(recipientContext, recipient);
            link(shared, "Shared images").click();
            Locator sharedRow = shared.locator("tr[data-image=" + imageId + "]");
            assertThat(sharedRow.locator(".owner")).hasText(owner.accountId());
            browser.screenshot(shared, "images-shared");
            link(shared, imageId).click();
            assertThat(shared.locator("#shared-warning")).containsText(owner.accountId());
            assertThat(shared.locator("#shared-warning")).containsText("does not vouch for its contents");
            assertThat(shared.locator("#digest")).hasText(page.locator("#digest").textContent());
            assertThat(shared.locator(".actions button")).hasText(new String[] {"Create instance"});
            browser.screenshot(shared, "image-shared");

            // ... launches it and makes an image of the instance
            button(shared, "Create instance").click();
            shared.getByLabel("Instance name").fill("from-shared");
            shared.locator("#run-dialog button[type=submit]").click();
            assertThat(shared.locator(".notice")).hasText("The instance is being created.");
            Locator instance = shared.locator("#instance-table tr[data-instance]",
                    new Page.LocatorOptions().setHasText("from-shared"));
            assertThat(instance.locator(".badge")).hasText("RUNNING", new LocatorAssertions.HasTextOptions().setTimeout(30_000));
            assertThat(instance).containsText(imageId);
            browser.screenshot(shared, "instances");
            instance.locator("summary").click();
            instance.getByLabel("New image name").fill("captured");
            instance.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create image")).click();
            assertThat(shared.locator(".notice")).containsText("The image is being created");
            link(shared, "Images").click();
            Locator captured = shared.locator("#image-table tr[data-image]", new Page.LocatorOptions().setHasText("captured"));
            assertThat(captured.locator(".badge")).containsText("NORMAL", SLOW);

            // cancel one share, then all (the shortcut next to the disabled Delete)
            page.navigate(url("/console/images/" + imageId));
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Cancel sharing with " + other.accountId()))
                    .click();
            assertThat(page.locator(".notice")).hasText("Sharing cancelled.");
            assertThat(page.locator("#shares tr[data-account]")).hasCount(1);
            assertThat(page.locator("#shares tr[data-account]")).containsText(recipient.accountId());
            button(page, "Cancel all shares").click();
            assertThat(page.locator("#shares td.empty")).hasText("Not shared with anyone.");
            assertThat(button(page, "Delete")).isEnabled();
            assertThat(page.locator("#audit")).containsText("CancelImageShare");

            // copy to two regions: one bar per destination, both reach 100%
            button(page, "Copy to regions").click();
            page.locator("#copy-dialog").getByLabel("East China (Shanghai)").check();
            page.locator("#copy-dialog").getByLabel("North China (Beijing)").check();
            page.locator("#copy-dialog button[type=submit]").click();
            assertThat(page.locator(".notice")).hasText("The copies have started.");
            Locator bars = page.locator("#copies li");
            assertThat(bars).hasCount(2);
            assertThat(page.locator("#copies li[data-region=ap-shanghai] .percent")).containsText("100%", SLOW);
            assertThat(page.locator("#copies li[data-region=ap-beijing] .percent")).containsText("100%", SLOW);
            assertThat(page.locator("#copies .badge")).hasText(new String[] {"NORMAL", "NORMAL"});
            browser.screenshot(page, "image-copies");

            link(page, "Account").click();
            assertThat(page.locator("#account-id")).hasText(owner.accountId());
            assertThat(page.locator("#quota-images")).hasText("1 of 500");
            browser.screenshot(page, "account");

            button(page, "Sign out").click();
            assertThat(page.locator("h2")).hasText("Sign in");
            page.navigate(url("/console/images"));
            assertThat(page).hasURL(url("/console/signin?expired=1"));
        }
    }

    @Test
    void aLocalFileIsUploadedWithItsProgressShownAndBecomesAnImageWithItsDigest() throws IOException {
        TestServer.Account erin = server.createAccount("erin");
        byte[] disk = ImageBytes.disk(6 << 20, 29);
        Path file = Files.write(work.resolve("local.raw"), disk);
        try (BrowserContext context = browser.context()) {
            Page page = signIn(context, erin);
            page.locator("#upload summary").click();
            page.locator("#upload").getByLabel("File").setInputFiles(file);
            page.locator("#upload").getByLabel("Name").fill("from-my-disk");
            button(page, "Upload").click();
            assertThat(page.locator(".notice")).hasText("The file is uploaded; the image is being made from it.");
            Locator row = page.locator("#image-table tr[data-image]", new Page.LocatorOptions().setHasText("from-my-disk"));
            assertThat(row.locator(".badge")).containsText("NORMAL", SLOW);
            assertThat(row.locator("code")).hasAttribute("title", "sha256:" + Tc3Signer.sha256Hex(disk));
        }
    }

    @Test
    void aStaleCsrfTokenAndATamperedCookieAreRefused() {
        TestServer.Account carol = server.createAccount("carol");
        try (BrowserContext context = browser.context()) {
            Page page = signIn(context, carol);
            String staleToken = page.locator("input[name=csrf]").first().inputValue();
            button(page, "Sign out").click();
            assertThat(page.getByLabel("SecretId")).isVisible(); // the sign-in page, before any key is pressed
            // signing in again with the keyboard alone: Tab to each field, Enter submits
            page.keyboard().press("Tab");
            page.keyboard().type(carol.secretId());
            page.keyboard().press("Tab");
            page.keyboard().type(carol.secretKey());
            page.keyboard().press("Enter");
            assertThat(page.locator("h1")).hasText("Images");
            page.keyboard().press("Tab");
            assertThat(page.locator(".skip")).isFocused(); // the first stop is "Skip to content"

            // a form carrying the token of the ended session changes nothing
            page.locator("#import summary").click();
            page.getByLabel("Image URL").fill(diskUrl);
            page.locator("#import").getByLabel("Name").fill("stale");
            page.evaluate("t => document.querySelectorAll('input[name=csrf]').forEach(i => i.value = t)", staleToken);
            Response refused = page.waitForResponse(r -> r.url().endsWith("/console/images/import"),
                    () -> button(page, "Import").click());
            assertThat(refused.status()).isEqualTo(403);
            assertThat(page.locator("h1")).hasText("Form expired");
            page.navigate(url("/console/images"));
            assertThat(page.locator("#image-table caption")).hasText("0 images");

            // an import that fails says why, in its row
            page.locator("#import summary").click();
            page.getByLabel("Image URL").fill(files.baseUrl() + "missing.raw");
            page.locator("#import").getByLabel("Name").fill("missing");
            button(page, "Import").click();
            Locator failed = page.locator("#image-table tr[data-image]", new Page.LocatorOptions().setHasText("missing"));
            assertThat(failed.locator(".badge")).containsText("IMPORTFAILED", SLOW);
            assertThat(failed.locator(".failure")).hasText("the image URL answered HTTP 404");

            // a cookie changed by one character is no session at all
            Cookie cookie = context.cookies().stream().filter(c -> c.name.equals(Console.COOKIE)).findFirst().orElseThrow();
            assertThat(cookie.httpOnly).isTrue();
            assertThat(cookie.sameSite).hasToString("STRICT");
            char last = cookie.value.charAt(cookie.value.length() - 1);
            String tampered = cookie.value.substring(0, cookie.value.length() - 1) + (last == 'A' ? 'B' : 'A');
            context.clearCookies();
            context.addCookies(List.of(new Cookie(Console.COOKIE, tampered).setDomain(cookie.domain)
                    .setPath(cookie.path).setHttpOnly(true)));
            page.navigate(url("/console/images"));
            assertThat(page).hasURL(url("/console/signin?expired=1"));
            assertThat(page.getByRole(AriaRole.ALERT)).hasText("Your session has ended. Please sign in again.");
        }
    }

    @Test
    void theConsoleSpeaksChineseAndFitsAPhoneInTheDark() {
        TestServer.Account dan = server.createAccount("dan");
        try (BrowserContext context = browser.phone()) {
            Page page = context.newPage();
            page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(com.microsoft.playwright.options.ColorScheme.DARK));
            page.navigate(url("/console/signin"));
            page.getByLabel("SecretId").fill(dan.secretId());
            page.getByLabel("SecretKey").fill(dan.secretKey());
            page.getByLabel("Language").selectOption("zh-CN");
            button(page, "Sign in").click();
            assertThat(page.locator("h1")).hasText("镜像");
            // the region names are the API's own, answered in the language asked for with X-TC-Language
            assertThat(page.locator("select[name=region] option[selected]")).hasText("华南地区(广州)");
            link(page, "公共镜像").click();
            assertThat(page.locator("#image-table tr[data-image]").first()).containsText("NORMAL");
            Object scrollWidth = page.evaluate("document.documentElement.scrollWidth");
            assertThat(((Number) scrollWidth).intValue()).isLessThanOrEqualTo(390);
            browser.screenshot(page, "images-phone-dark-zh");
        }
    }
}
