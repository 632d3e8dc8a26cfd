package io.imagehub.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagehub.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeCommandTest {
    /** What a serve that stopped before starting answered: its exit code and stderr. */
    private record Refusal(int exit, String err) {
    }

    private static Refusal serve(Path dataDir, String... options) {
        CommandLine imagehub = new CommandLine(new Main());
        StringWriter err = new StringWriter();
        imagehub.setErr(new PrintWriter(err, true));
        List<String> args = new ArrayList<>(List.of("serve", "--port", "0", "--data-dir", dataDir.toString()));
        args.addAll(List.of(options));
        int exit = imagehub.execute(args.toArray(String[]::new));
        return new Refusal(exit, err.toString());
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a serve that started would not return
    void anAmbiguousAllowListEntryStopsServeWithItsReason(@TempDir Path dataDir) {
        Refusal refusal = serve(dataDir,
                "--import-allow", "https://files.example.com/images/", "--import-allow", "http://files.internal/?v=1");

        assertThat(refusal.exit()).isEqualTo(2);
        assertThat(refusal.err()).isEqualTo("imagehub serve: --import-allow entry `http://files.internal/?v=1`: "
                + "an entry may not have a query (`?...`)" + System.lineSeparator());
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aRequestLimitForAnActionThatDoesNotExistStopsServe(@TempDir Path dataDir) {
        Refusal refusal = serve(dataDir,
                "--action-requests-per-second", "DescribeImages=40", "--action-requests-per-second", "DescribeImage=40");

        assertThat(refusal.exit()).isEqualTo(2);
        assertThat(refusal.err()).isEqualTo("imagehub serve: --action-requests-per-second (actionRequestsPerSecond) "
                + "names an action that does not exist: DescribeImage" + System.lineSeparator());
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anS3StoreWithoutItsBucketIsAUsageError(@TempDir Path dataDir) {
        Refusal refusal = serve(dataDir, "--store", "s3", "--s3-endpoint", "http://127.0.0.1:1");

        assertThat(refusal.exit()).isEqualTo(2);
        assertThat(refusal.err()).startsWith("--store s3 needs --s3-endpoint and --s3-bucket" + System.lineSeparator());
    }
}
