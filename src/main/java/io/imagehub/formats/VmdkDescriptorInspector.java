package io.imagehub.formats;

import java.util.List;
import java.util.Optional;

/**
 * A VMDK descriptor file on its own ("# Disk DescriptorFile": monolithicFlat, split and VMFS disks): qemu takes it
 * for a VMDK whose extents are other files, so it is recognised, and always refused.
 */
final class VmdkDescriptorInspector implements FormatInspector {
    private static final byte[] SIGNATURE = Bytes.ascii("# Disk DescriptorFile");

    private final RegionCapture regions = new RegionCapture();
    private byte[] lead;

    VmdkDescriptorInspector() {
        regions.capture(0, SIGNATURE.length, bytes -> lead = bytes);
    }

    @Override
    public DiskFormat format() {
        return DiskFormat.VMDK;
    }

    @Override
    public void accept(byte[] buffer, int offset, int length) {
        regions.accept(buffer, offset, length);
    }

    @Override
    public Optional<Inspection> finish(FileEnd end) {
        if (lead == null || !java.util.Arrays.equals(lead, SIGNATURE)) {
            return Optional.empty();
        }
        return Optional.of(new Inspection(DiskFormat.VMDK, -1, List.of(new Refusal(SafetyCheck.VMDK_EXTENTS,
                "a VMDK descriptor file without data: its extents are other files"))));
    }
}
