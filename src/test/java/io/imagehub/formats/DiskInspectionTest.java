package io.imagehub.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The whole inspection: every inspector at once on a stream, RAW as the fallback, and the decisions above them. */
class DiskInspectionTest {
    @TempDir
    Path dir;

    private static DiskInfo inspect(byte[] file, long maxVirtualBytes) throws IOException, UnsafeImageException {
        DiskInspection inspection = new DiskInspection(maxVirtualBytes);
        try (InputStream in = new InspectingInputStream(new ByteArrayInputStream(file), inspection)) {
            while (in.readNBytes(1 << 20).length > 0) {
                // the reader keeps the bytes; inspection only watched them go by
            }
        }
        return inspection.finish();
    }

    @ParameterizedTest
    @CsvSource({"qcow2,,QCOW2", "qcow2,compat=0.10,QCOW2", "vmdk,,VMDK", "vmdk,subformat=streamOptimized,VMDK",
            "vpc,,VHD", "vpc,subformat=fixed,VHD", "vhdx,,VHDX", "raw,,RAW"})
    void detectsEachFormatWithTheVirtualSizeQemuReads(String qemuFormat, String options, DiskFormat expected)
            throws Exception {
        Path file = QemuImg.create(dir, "disk." + qemuFormat, qemuFormat, 5L << 20, options);
        DiskInfo info = inspect(Files.readAllBytes(file), DiskInspection.DEFAULT_MAX_VIRTUAL_BYTES);
        assertThat(info.format()).isEqualTo(expected);
        assertThat(info.virtualSizeBytes()).isEqualTo(QemuImg.virtualSize(file, qemuFormat));
    }

    @Test
    void reportsTheVirtualSizeInGibRoundedUp() {
        assertThat(new DiskInfo(DiskFormat.QCOW2, (20L << 30) + 1).virtualSizeGib()).isEqualTo(21);
        assertThat(new DiskInfo(DiskFormat.QCOW2, 20L << 30).virtualSizeGib()).isEqualTo(20);
    }

    @Test
    void refusesAFileThatIsTwoFormatsAtOnce() throws Exception {
        Path qcow2 = QemuImg.create(dir, "disk.qcow2", "qcow2", 1 << 20, null);
        Path vhd = QemuImg.create(dir, "disk.vhd", "vpc", 1 << 20, "subformat=fixed,force_size=on");
        byte[] a = Files.readAllBytes(qcow2);
        byte[] b = Files.readAllBytes(vhd);
        byte[] both = Arrays.copyOf(a, a.length + 512);
        System.arraycopy(b, b.length - 512, both, a.length, 512); // a QCOW2 that ends with a VHD footer
        assertThatThrownBy(() -> inspect(both, DiskInspection.DEFAULT_MAX_VIRTUAL_BYTES))
                .isInstanceOfSatisfying(UnsafeImageException.class, e -> assertThat(e.refusals())
                        .extracting(Refusal::check).containsExactly(SafetyCheck.MULTIPLE_FORMATS))
                .hasMessageContaining("qcow2 and vhd");
    }

    @Test
    void refusesAVirtualSizeBeyondTheMaximumOrNegative() throws Exception {
        Path file = QemuImg.create(dir, "big.qcow2", "qcow2", 3L << 40, null);
        byte[] data = Files.readAllBytes(file);
        assertThat(inspect(data, 4L << 40).virtualSizeBytes()).isEqualTo(3L << 40);
        assertThatThrownBy(() -> inspect(data, DiskInspection.DEFAULT_MAX_VIRTUAL_BYTES))
                .hasMessageStartingWith("virtual-size: ");
        byte[] negative = data.clone();
        ByteBuffer.wrap(negative).putLong(24, -4096);
        assertThatThrownBy(() -> inspect(negative, DiskInspection.DEFAULT_MAX_VIRTUAL_BYTES))
                .hasMessageStartingWith("virtual-size: ");
    }

    @Test
    void takesAnythingElseForRaw() throws Exception {
        byte[] text = "not a disk, but still bytes".getBytes();
        assertThat(inspect(text, 1 << 20)).isEqualTo(new DiskInfo(DiskFormat.RAW, text.length));
        assertThat(inspect(new byte[0], 1 << 20)).isEqualTo(new DiskInfo(DiskFormat.RAW, 0));
    }
}
