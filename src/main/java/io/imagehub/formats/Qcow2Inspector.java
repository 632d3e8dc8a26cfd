package io.imagehub.formats;

import java.nio.ByteBuffer;

/**
 * QCOW2, versions 2 and 3 (qemu's docs/interop/qcow2.txt). The header (big-endian) gives the virtual size at
 * offset 24, the backing file at 8 and, from version 3, the incompatible features at 72. The truncation check
 * follows the header to the L1 and refcount tables, the L1 table to the L2 tables, and every L2 table that
 * streams by after the L1 table to the data clusters it maps: each must lie inside the file.
 */
final class Qcow2Inspector extends StreamingInspector {
    private static final byte[] MAGIC = {'Q', 'F', 'I', (byte) 0xFB};
    private static final int HEADER_BYTES = 104;
    private static final int MIN_CLUSTER_BITS = 9;
    private static final int MAX_CLUSTER_BITS = 21;
    private static final long DIRTY = 1, CORRUPT = 1 << 1, EXTERNAL_DATA_FILE = 1 << 2, COMPRESSION_TYPE = 1 << 3,
            EXTENDED_L2 = 1 << 4;
    private static final long KNOWN_INCOMPATIBLE = DIRTY | CORRUPT | EXTERNAL_DATA_FILE | COMPRESSION_TYPE | EXTENDED_L2;
    /** Bits 9-55 of an L1 entry or a standard L2 entry: the host offset. */
    private static final long OFFSET_MASK = 0x00FF_FFFF_FFFF_FE00L;
    private static final long COMPRESSED = 1L << 62;

    private long virtualSize = -1;
    private int clusterBits;
    private boolean extendedL2;

    Qcow2Inspector() {
        regions.capture(0, HEADER_BYTES, this::header);
    }

    @Override
    public DiskFormat format() {
        return DiskFormat.QCOW2;
    }

    @Override
    protected boolean matches(FileEnd end) {
        return startsWith(MAGIC);
    }

    @Override
    protected long virtualSize() {
        return virtualSize;
    }

    private void header(byte[] data) {
        if (!startsWith(MAGIC)) {
            return;
        }
        ByteBuffer h = Bytes.bigEndian(data);
        int version = h.getInt(4);
        if (version != 2 && version != 3) {
            throw new RegionCapture.MalformedException("QCOW version " + version + " (2 and 3 are supported)");
        }
        if (h.getLong(8) != 0) {
            refuse(SafetyCheck.BACKING_FILE, "the QCOW2 header names a backing file");
        }
        virtualSize = h.getLong(24);
        clusterBits = h.getInt(20);
        if (clusterBits < MIN_CLUSTER_BITS || clusterBits > MAX_CLUSTER_BITS) {
            throw new RegionCapture.MalformedException("cluster_bits " + clusterBits);
        }
        if (h.getInt(32) != 0) {
            refuse(SafetyCheck.ENCRYPTED, "the QCOW2 image is encrypted (method " + h.getInt(32) + ")");
        }
        if (version == 3) {
            long incompatible = h.getLong(72);
            if ((incompatible & EXTERNAL_DATA_FILE) != 0) {
                refuse(SafetyCheck.DATA_FILE, "the QCOW2 image keeps its data in an external data file");
            }
            if ((incompatible & ~KNOWN_INCOMPATIBLE) != 0) {
                refuse(SafetyCheck.UNKNOWN_FEATURES, "unknown incompatible feature bits 0x"
                        + Long.toHexString(incompatible & ~KNOWN_INCOMPATIBLE));
            }
            extendedL2 = (incompatible & EXTENDED_L2) != 0;
        }
        long clusterSize = 1L << clusterBits;
        long refcountTable = h.getLong(48);
        requireLength(Bytes.plus(refcountTable, Bytes.times(Bytes.u32(h, 56), clusterSize)), "the refcount table");
        long l1Offset = h.getLong(40);
        long l1Entries = Bytes.u32(h, 36);
        long l1Needed = l1EntriesFor(virtualSize);
        if (l1Entries < l1Needed) {
            throw new RegionCapture.MalformedException("an L1 table of " + l1Entries + " entries for "
                    + virtualSize + " bytes");
        }
        if (l1Needed > 0) {
            requireLength(Bytes.plus(l1Offset, l1Needed * 8), "the L1 table");
            if (!regions.capture(l1Offset, l1Needed * 8, this::l1Table)) {
                throw new RegionCapture.MalformedException("the L1 table lies inside the header");
            }
        }
    }

    /** L1 entries that map the virtual size: each L2 table maps clusterSize / entrySize clusters. */
    private long l1EntriesFor(long size) {
        if (size <= 0) {
            return 0;
        }
        long l2Span = Bytes.times(1L << clusterBits, (1L << clusterBits) / l2EntryBytes());
        return (size - 1) / l2Span + 1;
    }

    private int l2EntryBytes() {
        return extendedL2 ? 16 : 8;
    }

    private void l1Table(byte[] data) {
        ByteBuffer l1 = Bytes.bigEndian(data);
        long clusterSize = 1L << clusterBits;
        for (int i = 0; i < data.length; i += 8) {
            long l2Offset = l1.getLong(i) & OFFSET_MASK;
            if (l2Offset != 0) {
                requireLength(l2Offset + clusterSize, "an L2 table");
                // an L2 table written before the L1 table was read is only checked for being inside the file
                regions.capture(l2Offset, clusterSize, this::l2Table);
            }
        }
    }

    private void l2Table(byte[] data) {
        ByteBuffer l2 = Bytes.bigEndian(data);
        long clusterSize = 1L << clusterBits;
        for (int i = 0; i < data.length; i += l2EntryBytes()) {
            long entry = l2.getLong(i);
            if ((entry & COMPRESSED) != 0) {
                // compressed: the offset takes the low 62 - (cluster_bits - 8) bits; the data runs at least a byte
                long offset = entry & ((1L << (62 - (clusterBits - 8))) - 1);
                requireLength(offset + 1, "a compressed cluster");
            } else {
                long offset = entry & OFFSET_MASK;
                if (offset != 0) {
                    requireLength(offset + clusterSize, "a data cluster");
                }
            }
        }
    }
}
