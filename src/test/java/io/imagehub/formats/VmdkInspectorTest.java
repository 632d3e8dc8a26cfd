package io.imagehub.formats;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class VmdkInspectorTest extends FormatInspectorContract {

    @Override
    protected FormatInspector newInspector() {
        return new VmdkInspector();
    }

    @Override
    protected Path sample(Path raw) throws IOException {
        return QemuImg.convert(raw, "raw", dir.resolve("sample.vmdk"), "vmdk", null);
    }

    @Override
    protected long expectedVirtualSize(Path sample) throws IOException {
        return QemuImg.virtualSize(sample, "vmdk");
    }

    /** A copy of a monolithicSparse file whose embedded descriptor (sector 1 on) says {@code text}. */
    Path withDescriptor(String text) throws IOException {
        Path file = QemuImg.create(dir, "plain.vmdk", "vmdk", 1 << 20, null);
        byte[] descriptor = new byte[10 * 512]; // qemu-img's descriptor area: 20 sectors
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, descriptor, 0, bytes.length);
        return QemuImg.patched(file, "patched.vmdk", 512, descriptor);
    }

    @Test
    void refusesAFlatDiskWhoseDescriptorNamesAnotherFile() throws IOException {
        Path file = QemuImg.create(dir, "flat.vmdk", "vmdk", 1 << 20, "subformat=monolithicFlat");
        assertThat(refusalsOf(file)).containsExactly(SafetyCheck.VMDK_EXTENTS);
    }

    @Test
    void refusesAnExtentOfASplitDisk() throws IOException {
        QemuImg.create(dir, "split.vmdk", "vmdk", 1 << 20, "subformat=twoGbMaxExtentSparse");
        assertThat(refusalsOf(dir.resolve("split.vmdk"))).containsExactly(SafetyCheck.VMDK_EXTENTS);
        assertThat(refusalsOf(dir.resolve("split-s001.vmdk")))
                .containsExactly(SafetyCheck.VMDK_CREATE_TYPE, SafetyCheck.VMDK_EXTENTS);
    }

    @Test
    void refusesAParentDisk() throws IOException {
        Path base = QemuImg.create(dir, "base.vmdk", "vmdk", 1 << 20, null);
        QemuImg.run("create", "-q", "-f", "vmdk", "-b", base.toString(), "-F", "vmdk",
                dir.resolve("child.vmdk").toString());
        assertThat(refusalsOf(dir.resolve("child.vmdk"))).contains(SafetyCheck.BACKING_FILE);
    }

    @Test
    void refusesAnotherCreateType() throws IOException {
        Path file = withDescriptor("# Disk DescriptorFile\nversion=1\nCID=1\nparentCID=ffffffff\n"
                + "createType=\"vmfsSparse\"\nRW 2048 SPARSE \"patched.vmdk\"\n");
        assertThat(refusalsOf(file)).containsExactly(SafetyCheck.VMDK_CREATE_TYPE);
    }

    @Test
    void refusesASecondExtentNamingAHostFile() throws IOException {
        Path file = withDescriptor("# Disk DescriptorFile\nversion=1\nCID=1\nparentCID=ffffffff\n"
                + "createType=\"monolithicSparse\"\nRW 2048 SPARSE \"patched.vmdk\"\nRW 2048 FLAT \"/etc/shadow\" 0\n");
        assertThat(refusalsOf(file)).containsExactly(SafetyCheck.VMDK_EXTENTS);
    }

    @Test
    void refusesADescriptorLineItDoesNotKnow() throws IOException {
        Path file = withDescriptor("# Disk DescriptorFile\ncreateType=\"monolithicSparse\"\n"
                + "RW 2048 SPARSE \"patched.vmdk\"\n!include /etc/shadow\n");
        assertThat(refusalsOf(file)).containsExactly(SafetyCheck.MALFORMED);
    }

    @Nested
    class StreamOptimized extends FormatInspectorContract {
        @Override
        protected FormatInspector newInspector() {
            return new VmdkInspector();
        }

        @Override
        protected Path sample(Path raw) throws IOException {
            return QemuImg.convert(raw, "raw", dir.resolve("sample.vmdk"), "vmdk", "subformat=streamOptimized");
        }

        @Override
        protected long expectedVirtualSize(Path sample) throws IOException {
            return QemuImg.virtualSize(sample, "vmdk");
        }
    }
}
