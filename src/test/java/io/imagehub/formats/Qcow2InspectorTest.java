package io.imagehub.formats;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class Qcow2InspectorTest extends FormatInspectorContract {

    @Override
    protected FormatInspector newInspector() {
        return new Qcow2Inspector();
    }

    @Override
    protected Path sample(Path raw) throws IOException {
        return QemuImg.convert(raw, "raw", dir.resolve("sample.qcow2"), "qcow2", null);
    }

    @Override
    protected long expectedVirtualSize(Path sample) throws IOException {
        return QemuImg.virtualSize(sample, "qcow2");
    }

    @Test
    void readsVersion2AndVersion3Headers() throws IOException {
        for (String compat : List.of("0.10", "1.1")) {
            Path file = QemuImg.create(dir, "v" + compat + ".qcow2", "qcow2", 20L << 30, "compat=" + compat);
            Inspection found = inspect(newInspector(), Files.readAllBytes(file), () -> 4096).orElseThrow();
            assertThat(found.virtualSize()).isEqualTo(20L << 30);
            assertThat(found.refusals()).isEmpty();
        }
    }

    @Test
    void refusesABackingFile() throws IOException {
        Path base = QemuImg.create(dir, "base.qcow2", "qcow2", 1 << 20, null);
        QemuImg.run("create", "-q", "-f", "qcow2", "-b", base.toString(), "-F", "qcow2",
                dir.resolve("child.qcow2").toString());
        assertThat(refusalsOf(dir.resolve("child.qcow2"))).containsExactly(SafetyCheck.BACKING_FILE);
    }

    @Test
    void refusesAnExternalDataFile() throws IOException {
        Path file = QemuImg.create(dir, "data.qcow2", "qcow2", 1 << 20,
                "data_file=" + dir.resolve("host-file.raw"));
        assertThat(refusalsOf(file)).containsExactly(SafetyCheck.DATA_FILE);
    }

    @Test
    void refusesAnUnknownIncompatibleFeatureBit() throws IOException {
        Path file = QemuImg.create(dir, "plain.qcow2", "qcow2", 1 << 20, null);
        Path unknown = QemuImg.patched(file, "unknown.qcow2", 79, new byte[] {0x20}); // bit 5 of the feature field
        assertThat(refusalsOf(unknown)).containsExactly(SafetyCheck.UNKNOWN_FEATURES);
    }

    @Test
    void refusesEncryption() throws IOException {
        Path file = QemuImg.create(dir, "plain.qcow2", "qcow2", 1 << 20, null);
        Path encrypted = QemuImg.patched(file, "aes.qcow2", 35, new byte[] {1});
        assertThat(refusalsOf(encrypted)).containsExactly(SafetyCheck.ENCRYPTED);
    }

    @Test
    void refusesAnL1EntryPointingPastTheEnd() throws IOException {
        Path file = QemuImg.create(dir, "plain.qcow2", "qcow2", 1 << 30, null);
        // the L1 table of a fresh qemu-img file is at 0x30000; point its first entry at 1 TiB
        Path far = QemuImg.patched(file, "far.qcow2", 0x30000, new byte[] {(byte) 0x80, 0, 1, 0, 0, 0, 0, 0});
        assertThat(refusalsOf(far)).containsExactly(SafetyCheck.TRUNCATED);
    }
}
