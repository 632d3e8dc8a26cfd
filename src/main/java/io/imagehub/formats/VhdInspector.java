package io.imagehub.formats;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * VHD (Microsoft's "Virtual Hard Disk Image Format Specification"; qemu's "vpc"). Every VHD ends with a big-endian
 * 512-byte footer ("conectix", current size at 48, disk type at 60); a fixed disk is its raw data followed by the
 * footer, a dynamic one starts with a copy of the footer, then a dynamic header pointing at the block allocation
 * table. Differencing disks (type 4) are refused: their content continues in a parent file.
 */
final class VhdInspector extends StreamingInspector {
    private static final byte[] COOKIE = Bytes.ascii("conectix");
    private static final byte[] DYNAMIC_COOKIE = Bytes.ascii("cxsparse");
    private static final int FOOTER_BYTES = 512;
    private static final int DYNAMIC_HEADER_BYTES = 1024;
    private static final int FIXED = 2, DYNAMIC = 3, DIFFERENCING = 4;
    private static final long UNALLOCATED = 0xFFFF_FFFFL;
    private static final long MAX_BLOCK_BYTES = 256L << 20;

    private byte[] leadingFooter;
    private long blockBytes;

    VhdInspector() {
        regions.capture(0, FOOTER_BYTES, data -> {
            if (startsWith(COOKIE)) {
                leadingFooter = data;
                dynamicHeaderFrom(data);
            }
        });
    }

    @Override
    public DiskFormat format() {
        return DiskFormat.VHD;
    }

    @Override
    protected boolean matches(FileEnd end) {
        return startsWith(COOKIE) || isFooter(trailingFooter(end));
    }

    private long virtualSize = -1;

    @Override
    protected long virtualSize() {
        return virtualSize;
    }

    private static byte[] trailingFooter(FileEnd end) {
        return end.bytesBeforeEnd(0, FOOTER_BYTES);
    }

    private static boolean isFooter(byte[] data) {
        return data != null && Arrays.equals(data, 0, COOKIE.length, COOKIE, 0, COOKIE.length);
    }

    /** The leading copy is read as it streams by, so a dynamic disk's tables can be followed in the same read. */
    private void dynamicHeaderFrom(byte[] footer) {
        long dataOffset = Bytes.bigEndian(footer).getLong(16);
        if (!regions.capture(dataOffset, DYNAMIC_HEADER_BYTES, this::dynamicHeader)) {
            throw new RegionCapture.MalformedException("the VHD dynamic header lies inside the footer");
        }
    }

    private void dynamicHeader(byte[] data) {
        if (!Arrays.equals(data, 0, DYNAMIC_COOKIE.length, DYNAMIC_COOKIE, 0, DYNAMIC_COOKIE.length)) {
            throw new RegionCapture.MalformedException("the VHD dynamic header has no cxsparse cookie");
        }
        ByteBuffer h = Bytes.bigEndian(data);
        long tableOffset = h.getLong(16);
        long entries = Bytes.u32(h, 28);
        blockBytes = Bytes.u32(h, 32);
        if (blockBytes < 512 || blockBytes % 512 != 0 || blockBytes > MAX_BLOCK_BYTES) {
            throw new RegionCapture.MalformedException("a VHD block size of " + blockBytes + " bytes");
        }
        requireLength(Bytes.plus(tableOffset, entries * 4), "the block allocation table");
        if (!regions.capture(tableOffset, entries * 4, this::blockTable)) {
            throw new RegionCapture.MalformedException("the VHD block allocation table lies before its header");
        }
    }

    private void blockTable(byte[] data) {
        ByteBuffer bat = Bytes.bigEndian(data);
        long bitmapBytes = ((blockBytes / 512 / 8) + 511) / 512 * 512;
        for (int i = 0; i < data.length; i += 4) {
            long sector = Bytes.u32(bat, i);
            if (sector != UNALLOCATED) {
                // the block and its bitmap, before the footer copy that ends the file
                requireLength(sector * 512 + bitmapBytes + blockBytes + FOOTER_BYTES, "a VHD data block");
            }
        }
    }

    @Override
    protected void checkEnd(FileEnd end) {
        byte[] footer = trailingFooter(end);
        if (leadingFooter == null) {
            // no copy at the start: a fixed disk, its data before the footer
            checkType(Bytes.bigEndian(footer).getInt(60), FIXED);
            virtualSize = Bytes.bigEndian(footer).getLong(48);
            requireLength(Bytes.plus(virtualSize, FOOTER_BYTES), "the fixed VHD's data");
            return;
        }
        ByteBuffer lead = Bytes.bigEndian(leadingFooter);
        virtualSize = lead.getLong(48);
        checkType(lead.getInt(60), DYNAMIC);
        if (!isFooter(footer)) {
            refuse(SafetyCheck.TRUNCATED, "the dynamic VHD does not end with its footer");
        }
    }

    private void checkType(int type, int expected) {
        if (type == DIFFERENCING) {
            refuse(SafetyCheck.DIFFERENCING, "a differencing VHD: its content continues in a parent disk file");
        } else if (type != expected) {
            throw new RegionCapture.MalformedException("VHD disk type " + type + " where " + expected
                    + (expected == FIXED ? " (fixed)" : " (dynamic)") + " belongs");
        }
    }
}
