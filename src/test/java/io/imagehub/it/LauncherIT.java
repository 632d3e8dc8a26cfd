package io.imagehub.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What a user sees when starting the real launcher on a fresh data dir, with stdout and stderr not a terminal. */
class LauncherIT {
    /** The one log format (logback.xml): UTC timestamp, level, logger, message; nothing else may appear on stderr. */
    static final Pattern LOG_LINE = Pattern.compile(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z (TRACE|DEBUG|INFO |WARN |ERROR) \\S+ .*");
    private static final Pattern LISTENING = Pattern.compile(
            "imagehub listening on (http://127\\.0\\.0\\.1:(\\d+)) \\(version \\S+, commit \\S+\\)");

    @Test
    void aFreshStartPrintsTheBannerOnStdoutAndOnlyLogLinesOnStderr() throws Exception {
        Path dataDir = Files.createTempDirectory("imagehub-launcher").resolve("data");
        try (Launcher serve = new Launcher(List.of("serve", "--port", "0", "--data-dir", dataDir.toString()))) {
            Matcher listening = LISTENING.matcher(serve.awaitLine(LISTENING.asPredicate(), Duration.ofSeconds(60)));
            assertThat(listening.matches()).isTrue();
            String endpoint = listening.group(1);
            serve.awaitLine(line -> line.contains("# the console"), Duration.ofSeconds(10));
            // the banner comes once the node is ready, not merely listening
            HttpResponse<String> ready = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(endpoint + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(200);
            String startLog = serve.stderr();
            assertThat(serve.stop()).isIn(0, 143);

            assertThat(serve.stdout()).contains(
                    "  console        " + endpoint + "/console",
                    "  bin/imagehub account create --name alice --endpoint " + endpoint + " --data-dir " + dataDir
                            + "   # an account and its keys",
                    "  bin/imagehub configure --endpoint " + endpoint + "   # the CLI, with those keys");
            assertThat(serve.stdout()).anySatisfy(line -> assertThat(line).startsWith("  data           " + dataDir));
            assertThat(serve.stdout()).anySatisfy(line -> assertThat(line)
                    .startsWith("  API endpoint   " + endpoint));
            assertThat(String.join("\n", serve.stdout()) + serve.stderr()).doesNotContain("\u001b");
            assertThat(startLog.lines().count()).as("log lines of a normal start").isLessThanOrEqualTo(5);
            assertThat(serve.stderr().lines()).isNotEmpty().allSatisfy(line -> assertThat(line).matches(LOG_LINE));
            assertThat(serve.stderr()).contains("imagehub stopped").doesNotContain("Exception");
        } finally {
            TestServer.deleteTree(dataDir.getParent());
        }
    }
}
