package io.imagehub.formats;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * VMDK hosted sparse extents (VMware's "Virtual Disk Format 1.1"): a little-endian header ("KDMV", capacity in
 * sectors at offset 12) and an embedded text descriptor. Only the two single-file kinds are accepted,
 * monolithicSparse and streamOptimized, with one SPARSE extent that is the file itself and no parent. (A bare text
 * descriptor file is {@link VmdkDescriptorInspector}'s.)
 * The truncation check follows the grain directory to the grain tables and those to the grains.
 */
final class VmdkInspector extends StreamingInspector {
    private static final byte[] MAGIC = {'K', 'D', 'M', 'V'};
    private static final int SECTOR = 512;
    private static final long GD_AT_END = -1L;
    private static final int MAX_DESCRIPTOR_BYTES = (1 << 20) - 1;
    private static final long MAX_GRAIN_SECTORS = 4096;
    private static final long MAX_GTES_PER_GT = 4096;
    private static final int COMPRESSED_GRAINS = 1 << 16;
    /** A compressed grain starts with its LBA (8 bytes) and its compressed size (4). */
    private static final int GRAIN_MARKER_BYTES = 12;
    private static final List<String> CREATE_TYPES = List.of("monolithicsparse", "streamoptimized");
    private static final Pattern EXTENT = Pattern.compile(
            "(rw|rdonly|noaccess)\\s+(\\d+)\\s+(\\w+)(?:\\s+\"([^\"]*)\"(?:\\s+(\\d+))?)?");
    private static final Pattern HEADER_FIELD = Pattern.compile("([a-z0-9.]+)\\s*=\\s*\"?([^\"]*)\"?");

    private long capacitySectors = -1;
    private long grainSectors;
    private long gtesPerGt;
    private boolean compressed;
    private boolean gdAtEnd;

    VmdkInspector() {
        regions.capture(0, SECTOR, this::header);
    }

    @Override
    public DiskFormat format() {
        return DiskFormat.VMDK;
    }

    @Override
    protected boolean matches(FileEnd end) {
        return startsWith(MAGIC);
    }

    @Override
    protected long virtualSize() {
        return capacitySectors < 0 ? -1 : Bytes.times(capacitySectors, SECTOR);
    }

    private void header(byte[] data) {
        if (!startsWith(MAGIC)) {
            return;
        }
        ByteBuffer h = Bytes.littleEndian(data);
        int version = h.getInt(4);
        if (version < 1 || version > 3) {
            throw new RegionCapture.MalformedException("VMDK version " + version);
        }
        readGeometry(h);
        long descriptorSector = h.getLong(28);
        long descriptorSectors = h.getLong(36);
        if (descriptorSector == 0 || descriptorSectors <= 0) {
            refuse(SafetyCheck.VMDK_EXTENTS, "a VMDK extent without a descriptor (part of a split disk)");
            return;
        }
        long descriptorBytes = Math.min(Bytes.times(descriptorSectors, SECTOR), MAX_DESCRIPTOR_BYTES);
        if (descriptorBytes < 0 || !regions.capture(Bytes.times(descriptorSector, SECTOR), descriptorBytes,
                this::descriptor)) {
            throw new RegionCapture.MalformedException("the VMDK descriptor lies inside the header");
        }
        long gdSector = h.getLong(56);
        gdAtEnd = gdSector == GD_AT_END;
        if (!gdAtEnd) {
            captureGrainDirectory(gdSector);
        }
    }

    private void readGeometry(ByteBuffer h) {
        capacitySectors = h.getLong(12);
        grainSectors = h.getLong(20);
        gtesPerGt = Bytes.u32(h, 44);
        compressed = (h.getInt(8) & COMPRESSED_GRAINS) != 0;
        if (grainSectors < 1 || grainSectors > MAX_GRAIN_SECTORS || gtesPerGt < 1 || gtesPerGt > MAX_GTES_PER_GT) {
            throw new RegionCapture.MalformedException("grain size " + grainSectors + " sectors, "
                    + gtesPerGt + " entries per grain table");
        }
    }

    private long grainTables() {
        if (capacitySectors <= 0) {
            return 0;
        }
        long grains = (capacitySectors - 1) / grainSectors + 1;
        return (grains - 1) / gtesPerGt + 1;
    }

    private void captureGrainDirectory(long gdSector) {
        long offset = Bytes.times(gdSector, SECTOR);
        long bytes = Bytes.times(grainTables(), 4);
        requireLength(Bytes.plus(offset, bytes), "the grain directory");
        if (bytes > 0 && !regions.capture(offset, bytes, this::grainDirectory)) {
            throw new RegionCapture.MalformedException("the grain directory lies inside the header");
        }
    }

    private void grainDirectory(byte[] data) {
        ByteBuffer gd = Bytes.littleEndian(data);
        for (int i = 0; i < data.length; i += 4) {
            long gtOffset = Bytes.u32(gd, i) * SECTOR;
            if (gtOffset != 0) {
                requireLength(gtOffset + gtesPerGt * 4, "a grain table");
                regions.capture(gtOffset, gtesPerGt * 4, this::grainTable);
            }
        }
    }

    private void grainTable(byte[] data) {
        ByteBuffer gt = Bytes.littleEndian(data);
        for (int i = 0; i < data.length; i += 4) {
            long grainSector = Bytes.u32(gt, i);
            if (grainSector <= 1) { // 0: unallocated, 1: a zero grain
                continue;
            }
            long offset = grainSector * SECTOR;
            if (!compressed) {
                requireLength(offset + grainSectors * SECTOR, "a grain");
            } else if (!regions.capture(offset, GRAIN_MARKER_BYTES, marker -> requireLength(
                    offset + GRAIN_MARKER_BYTES + Bytes.u32(Bytes.littleEndian(marker), 8), "a compressed grain"))) {
                requireLength(offset + GRAIN_MARKER_BYTES, "a compressed grain");
            }
        }
    }

    private void descriptor(byte[] data) {
        int length = data.length;
        while (length > 0 && data[length - 1] == 0) {
            length--;
        }
        String text = new String(data, 0, length, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
        String createType = null;
        boolean parent = false;
        List<Matcher> extents = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("ddb.")) {
                continue;
            }
            Matcher extent = EXTENT.matcher(line);
            Matcher field = HEADER_FIELD.matcher(line);
            if (extent.matches()) {
                extents.add(extent);
            } else if (field.matches()) {
                switch (field.group(1)) {
                    case "createtype" -> createType = field.group(2);
                    case "parentfilenamehint" -> parent = true;
                    case "parentcid" -> parent |= !field.group(2).equals("ffffffff");
                    default -> { }
                }
            } else {
                throw new RegionCapture.MalformedException("the VMDK descriptor has a line it should not: "
                        + abbreviate(line));
            }
        }
        if (createType == null || !CREATE_TYPES.contains(createType)) {
            refuse(SafetyCheck.VMDK_CREATE_TYPE, "createType " + (createType == null ? "missing"
                    : "\"" + abbreviate(createType) + "\"") + " (monolithicSparse and streamOptimized are accepted)");
        }
        if (parent) {
            refuse(SafetyCheck.BACKING_FILE, "the VMDK descriptor names a parent disk");
        }
        if (extents.size() != 1) {
            refuse(SafetyCheck.VMDK_EXTENTS, "the VMDK descriptor names " + extents.size() + " extents (1 expected)");
        } else {
            Matcher extent = extents.get(0);
            String name = extent.group(4);
            if (!extent.group(3).equals("sparse") || name == null || name.contains("/") || name.contains("\\")) {
                refuse(SafetyCheck.VMDK_EXTENTS, "the VMDK extent is not this file's sparse data: "
                        + abbreviate(extent.group()));
            }
        }
    }

    @Override
    protected void checkEnd(FileEnd end) {
        if (!gdAtEnd) {
            return;
        }
        // the header defers to the footer, one sector before the end-of-stream marker (a streamOptimized file)
        byte[] footer = end.bytesBeforeEnd(SECTOR, SECTOR);
        if (footer == null || !Arrays.equals(footer, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            refuse(SafetyCheck.TRUNCATED, "the VMDK header defers to a footer the file does not end with");
            return;
        }
        ByteBuffer f = Bytes.littleEndian(footer);
        readGeometry(f);
        requireLength(Bytes.plus(Bytes.times(f.getLong(56), SECTOR), Bytes.times(grainTables(), 4)),
                "the grain directory");
    }

    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }
}
