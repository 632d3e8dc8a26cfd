package io.imagehub.formats;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TinyQcow2Test {
    @TempDir
    Path dir;

    @Test
    void writesAQcow2ThatQemuChecksCleanAndReadsBackAsTheData() throws Exception {
        byte[] data = new byte[(2 << 20) - 100];
        new Random(1).nextBytes(data);
        Path file = Files.write(dir.resolve("tiny.qcow2"), TinyQcow2.of(data, 64L << 20));

        QemuImg.run("check", "-q", "-f", "qcow2", file.toString());
        assertThat(QemuImg.virtualSize(file, "qcow2")).isEqualTo(64L << 20);
        byte[] back = Files.readAllBytes(QemuImg.convert(file, "qcow2", dir.resolve("tiny.raw"), "raw", null));
        assertThat(back).hasSize(64 << 20);
        assertThat(Arrays.copyOf(back, data.length)).isEqualTo(data);
        assertThat(Arrays.mismatch(back, data.length, back.length, new byte[back.length - data.length], 0,
                back.length - data.length)).as("unallocated clusters read as zeros").isEqualTo(-1);
    }
}
