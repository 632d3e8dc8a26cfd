package io.imagehub.formats;

import java.nio.ByteBuffer;

/**
 * Writes a small QCOW2 (version 3, 64 KiB clusters, no backing file) whose first bytes are {@code data} and the
 * rest of a larger virtual disk unallocated: the seeded public images need a real QCOW2 on a machine without
 * qemu-img. Layout, one cluster each: header, refcount table, refcount block, L1 table, L2 table, then the data.
 */
public final class TinyQcow2 {
    private static final int CLUSTER_BITS = 16;
    private static final int CLUSTER = 1 << CLUSTER_BITS;
    private static final long COPIED = 1L << 63; // refcount exactly 1: qemu may write in place
    private static final int METADATA_CLUSTERS = 5;

    private TinyQcow2() {
    }

    /** {@code data} (at most one L2 table's span, 512 MiB) at the start of a {@code virtualSize}-byte disk. */
    public static byte[] of(byte[] data, long virtualSize) {
        long l2Span = (long) CLUSTER * (CLUSTER / 8);
        int dataClusters = (data.length + CLUSTER - 1) / CLUSTER;
        if (data.length > l2Span || data.length > virtualSize) {
            throw new IllegalArgumentException("the data must fit one L2 table and the virtual disk");
        }
        int clusters = METADATA_CLUSTERS + dataClusters;
        ByteBuffer file = ByteBuffer.allocate(clusters * CLUSTER);
        int l1Entries = (int) ((virtualSize + l2Span - 1) / l2Span);
        file.put(0, new byte[] {'Q', 'F', 'I', (byte) 0xFB})
                .putInt(4, 3)
                .putInt(20, CLUSTER_BITS)
                .putLong(24, virtualSize)
                .putInt(36, l1Entries)
                .putLong(40, 3L * CLUSTER)
                .putLong(48, CLUSTER)
                .putInt(56, 1)
                .putInt(96, 4) // 16-bit refcounts
                .putInt(100, 104); // header length; a zero header extension (the end marker) follows
        file.putLong(CLUSTER, 2L * CLUSTER); // refcount table -> the one refcount block
        for (int c = 0; c < clusters; c++) {
            file.putShort(2 * CLUSTER + 2 * c, (short) 1);
        }
        file.putLong(3 * CLUSTER, 4L * CLUSTER | COPIED); // L1[0] -> the L2 table
        for (int c = 0; c < dataClusters; c++) {
            file.putLong(4 * CLUSTER + 8 * c, (long) (METADATA_CLUSTERS + c) * CLUSTER | COPIED);
        }
        file.put(METADATA_CLUSTERS * CLUSTER, data);
        return file.array();
    }
}
