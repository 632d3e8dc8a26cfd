package io.imagehub.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagehub.blob.S3Retries;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a config file names an S3 store's retries: members left out take their defaults. */
class StoreConfigTest {
    @TempDir
    Path dir;

    private StoreConfig s3Store(String retry) throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, """
                {"stores": {"s3": {"type": "s3", "endpoint": "http://127.0.0.1:9", "accessKey": "a", "secretKey": "s",
                                   "bucket": "b"%s}}}
                """.formatted(retry == null ? "" : ", \"retry\": " + retry));
        return ServerConfig.load(file).stores.get("s3");
    }

    @Test
    void retryMembersLeftOutTakeTheirDefaults() throws Exception {
        assertThat(s3Store("{\"maxAttempts\": 8, \"maxDelayMillis\": 20000}").retry())
                .isEqualTo(new S3Retries(8, 100L, 20000L, 60L));
        assertThat(s3Store(null).retry()).isNull(); // S3Retries.DEFAULT when the store opens
        assertThat(S3Retries.DEFAULT).isEqualTo(new S3Retries(5, 100L, 5000L, 60L));
    }

    @Test
    void retriesThatCannotWorkAreRefused() {
        assertThatThrownBy(() -> s3Store("{\"maxAttempts\": 0}")).hasMessageContaining("maxAttempts >= 1");
        assertThatThrownBy(() -> s3Store("{\"baseDelayMillis\": 500, \"maxDelayMillis\": 100}"))
                .hasMessageContaining("maxDelayMillis >= baseDelayMillis");
    }
}
