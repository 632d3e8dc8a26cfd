package io.imagehub.formats;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.Consumer;

/**
 * VHDX ([MS-VHDX]): "vhdxfile" at 0, the region table at 192 KiB naming the metadata region and the block
 * allocation table (BAT), little-endian throughout. The metadata table names the items read here: Virtual Disk
 * Size, File Parameters (block size; the HasParent flag of a differencing disk, refused) and Logical Sector Size
 * (which fixes how BAT entries interleave payload blocks and sector bitmaps). The truncation check: both regions
 * and every block the BAT marks present lie inside the file.
 */
final class VhdxInspector extends StreamingInspector {
    private static final byte[] IDENTIFIER = Bytes.ascii("vhdxfile");
    private static final long REGION_TABLE = 192 * 1024;
    private static final int TABLE_BYTES = 64 * 1024;
    private static final int REGION_SIGNATURE = 0x69676572; // "regi"
    private static final byte[] METADATA_SIGNATURE = Bytes.ascii("metadata");
    private static final int MAX_ENTRIES = 2047;
    private static final byte[] METADATA_REGION = guid("8B7CA206-4790-4B9A-B8FE-575F050F886E");
    private static final byte[] BAT_REGION = guid("2DC27766-F623-4200-9D64-115E9BFD4A08");
    private static final byte[] FILE_PARAMETERS = guid("CAA16737-FA36-4D43-B3B6-33F0AA44E76B");
    private static final byte[] VIRTUAL_DISK_SIZE = guid("2FA54224-CD1B-4876-B211-5DBED83BF4B8");
    private static final byte[] LOGICAL_SECTOR_SIZE = guid("8141BF1D-A96F-4709-BA47-F233A8FAAB5F");
    private static final int HAS_PARENT = 1 << 1;
    private static final int PAYLOAD_FULLY_PRESENT = 6, PAYLOAD_PARTIALLY_PRESENT = 7, BITMAP_PRESENT = 6;
    private static final long MIB = 1 << 20;

    private long virtualSize = -1;
    private long blockBytes;
    private long logicalSectorBytes;
    private byte[] bat;

    VhdxInspector() {
        regions.capture(REGION_TABLE, TABLE_BYTES, this::regionTable);
    }

    @Override
    public DiskFormat format() {
        return DiskFormat.VHDX;
    }

    @Override
    protected boolean matches(FileEnd end) {
        return startsWith(IDENTIFIER);
    }

    @Override
    protected long virtualSize() {
        return virtualSize;
    }

    private void regionTable(byte[] data) {
        if (!startsWith(IDENTIFIER)) {
            return;
        }
        ByteBuffer t = Bytes.littleEndian(data);
        long entries = Bytes.u32(t, 8);
        if (t.getInt(0) != REGION_SIGNATURE || entries > MAX_ENTRIES) {
            throw new RegionCapture.MalformedException("the VHDX region table is unreadable");
        }
        boolean metadata = false;
        for (int i = 0; i < entries; i++) {
            int at = 16 + i * 32;
            long offset = t.getLong(at + 16);
            long length = Bytes.u32(t, at + 24);
            requireLength(Bytes.plus(offset, length), "a VHDX region");
            if (Arrays.equals(data, at, at + 16, METADATA_REGION, 0, 16)) {
                metadata = regions.capture(offset, Math.min(length, TABLE_BYTES), table -> metadataTable(offset, table));
            } else if (Arrays.equals(data, at, at + 16, BAT_REGION, 0, 16)) {
                regions.capture(offset, length, table -> bat = table);
            }
        }
        if (!metadata) {
            throw new RegionCapture.MalformedException("the VHDX region table names no readable metadata region");
        }
    }

    private void metadataTable(long regionOffset, byte[] data) {
        ByteBuffer t = Bytes.littleEndian(data);
        int entries = Short.toUnsignedInt(t.getShort(10));
        if (!Arrays.equals(data, 0, 8, METADATA_SIGNATURE, 0, 8) || entries > MAX_ENTRIES) {
            throw new RegionCapture.MalformedException("the VHDX metadata table is unreadable");
        }
        for (int i = 0; i < entries; i++) {
            int at = 32 + i * 32;
            long itemOffset = Bytes.u32(t, at + 16);
            byte[] id = Arrays.copyOfRange(data, at, at + 16);
            if (Arrays.equals(id, VIRTUAL_DISK_SIZE)) {
                item(regionOffset, data, itemOffset, 8, b -> virtualSize = Bytes.littleEndian(b).getLong(0));
            } else if (Arrays.equals(id, FILE_PARAMETERS)) {
                item(regionOffset, data, itemOffset, 8, this::fileParameters);
            } else if (Arrays.equals(id, LOGICAL_SECTOR_SIZE)) {
                item(regionOffset, data, itemOffset, 4, b -> logicalSectorBytes = Bytes.u32(Bytes.littleEndian(b), 0));
            }
        }
    }

    /** A metadata item: inside the table already read, or still to come in the stream. */
    private void item(long regionOffset, byte[] table, long offset, int length,
                      Consumer<byte[]> handler) {
        if (offset + length <= table.length) {
            handler.accept(Arrays.copyOfRange(table, (int) offset, (int) offset + length));
        } else if (!regions.capture(regionOffset + offset, length, handler)) {
            throw new RegionCapture.MalformedException("a VHDX metadata item lies before its table");
        }
    }

    private void fileParameters(byte[] data) {
        ByteBuffer p = Bytes.littleEndian(data);
        blockBytes = Bytes.u32(p, 0);
        if ((p.getInt(4) & HAS_PARENT) != 0) {
            refuse(SafetyCheck.DIFFERENCING, "a differencing VHDX: its content continues in a parent disk file");
        }
    }

    @Override
    protected void checkEnd(FileEnd end) {
        if (virtualSize < 0 || bat == null) {
            throw new RegionCapture.MalformedException("the VHDX metadata lacks its virtual size or its BAT");
        }
        if (blockBytes < MIB || blockBytes > 256 * MIB || (logicalSectorBytes != 512 && logicalSectorBytes != 4096)) {
            throw new RegionCapture.MalformedException("a VHDX block size of " + blockBytes
                    + " bytes and logical sectors of " + logicalSectorBytes);
        }
        // after every chunkRatio payload entries comes one sector bitmap entry
        long chunkRatio = (1L << 23) * logicalSectorBytes / blockBytes;
        ByteBuffer b = Bytes.littleEndian(bat);
        for (int i = 0; i + 8 <= bat.length; i += 8) {
            long entry = b.getLong(i);
            int state = (int) (entry & 7);
            long offset = (entry >>> 20) * MIB;
            boolean bitmap = (i / 8 + 1) % (chunkRatio + 1) == 0;
            if (bitmap ? state == BITMAP_PRESENT : state == PAYLOAD_FULLY_PRESENT || state == PAYLOAD_PARTIALLY_PRESENT) {
                requireLength(offset + (bitmap ? MIB : blockBytes), bitmap ? "a VHDX sector bitmap" : "a VHDX block");
            }
        }
    }

    /** The on-disk bytes of a GUID: the first three fields little-endian, the last two as written. */
    private static byte[] guid(String text) {
        byte[] b = HexFormat.of().parseHex(text.replace("-", ""));
        return new byte[] {b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6],
                b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]};
    }
}
