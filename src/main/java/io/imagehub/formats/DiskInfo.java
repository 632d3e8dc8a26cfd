package io.imagehub.formats;

/** What a disk file that passed inspection is: its format and the size of the disk it holds. */
public record DiskInfo(DiskFormat format, long virtualSizeBytes) {
    private static final long GIB = 1L << 30;

    /** The virtual size in GiB rounded up, what Tencent reports as ImageSize. */
    public long virtualSizeGib() {
        return (virtualSizeBytes + GIB - 1) / GIB;
    }
}
