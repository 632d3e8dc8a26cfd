package io.imagehub.formats;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Dynamic VHDs (qemu's default "vpc" subformat); fixed ones in {@link Fixed}. */
class VhdInspectorTest extends FormatInspectorContract {

    @Override
    protected FormatInspector newInspector() {
        return new VhdInspector();
    }

    @Override
    protected Path sample(Path raw) throws IOException {
        return QemuImg.convert(raw, "raw", dir.resolve("sample.vhd"), "vpc", null);
    }

    @Override
    protected long expectedVirtualSize(Path sample) throws IOException {
        return QemuImg.virtualSize(sample, "vpc");
    }

    @Test
    void refusesADifferencingDisk() throws IOException {
        Path file = QemuImg.create(dir, "dynamic.vhd", "vpc", 1 << 20, null);
        long size = Files.size(file);
        // disk type 4 in both footer copies (qemu-img cannot write one: it has no VHD backing files)
        Path child = QemuImg.patched(file, "child.vhd", 63, new byte[] {4});
        child = QemuImg.patched(child, "child.vhd", size - 512 + 63, new byte[] {4});
        assertThat(refusalsOf(child)).containsExactly(SafetyCheck.DIFFERENCING);
    }

    @Nested
    class Fixed extends FormatInspectorContract {
        @Override
        protected FormatInspector newInspector() {
            return new VhdInspector();
        }

        @Override
        protected Path sample(Path raw) throws IOException {
            return QemuImg.convert(raw, "raw", dir.resolve("sample.vhd"), "vpc", "subformat=fixed,force_size=on");
        }

        @Override
        protected long expectedVirtualSize(Path sample) throws IOException {
            return QemuImg.virtualSize(sample, "vpc");
        }

        /** Without its footer a fixed VHD is raw data: nothing of it says it was meant to be longer. */
        @Override
        protected void assertCutShort(Optional<Inspection> found, int length) {
            assertThat(found).isEmpty();
        }

        @Test
        void refusesAFixedDiskShorterThanItsFooterSays() throws IOException {
            Path file = QemuImg.create(dir, "fixed.vhd", "vpc", 1 << 20, "subformat=fixed,force_size=on");
            byte[] data = Files.readAllBytes(file);
            byte[] cut = Arrays.copyOfRange(data, 4096, data.length); // the footer stays, data is missing
            assertThat(inspect(newInspector(), cut, () -> 512).orElseThrow().refusals()).extracting(Refusal::check)
                    .containsExactly(SafetyCheck.TRUNCATED);
        }
    }
}
