package io.imagehub.formats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Inspects one disk file as it streams past, with every format's inspector at once (detection from the content:
 * Tencent's ImportImage has no format parameter). {@link #finish} decides: RAW only when no other format matched,
 * more than one match is refused, and so is a virtual size beyond {@code maxVirtualBytes}. It costs a few
 * comparisons per read and a copy of the last bytes; only header regions are ever copied.
 */
public final class DiskInspection {
    /** Default {@code maxVirtualBytes}: 2 TiB. */
    public static final long DEFAULT_MAX_VIRTUAL_BYTES = 2L << 40;

    private final List<FormatInspector> structured = List.of(new Qcow2Inspector(), new VmdkInspector(),
            new VmdkDescriptorInspector(), new VhdInspector(), new VhdxInspector());
    private final RawInspector raw = new RawInspector();
    private final long maxVirtualBytes;
    private final byte[] last = new byte[FileEnd.KEPT];
    private int lastLength;
    private long length;

    public DiskInspection(long maxVirtualBytes) {
        this.maxVirtualBytes = maxVirtualBytes;
    }

    public void accept(byte[] buffer, int offset, int count) {
        if (count <= 0) {
            return;
        }
        for (FormatInspector inspector : structured) {
            inspector.accept(buffer, offset, count);
        }
        length += count;
        if (count >= last.length) {
            System.arraycopy(buffer, offset + count - last.length, last, 0, last.length);
            lastLength = last.length;
        } else {
            int keep = Math.min(lastLength, last.length - count);
            System.arraycopy(last, lastLength - keep, last, 0, keep);
            System.arraycopy(buffer, offset, last, keep, count);
            lastLength = keep + count;
        }
    }

    /** Bytes seen so far. */
    public long length() {
        return length;
    }

    /** After the last byte: what the file is, or why it is refused. */
    public DiskInfo finish() throws UnsafeImageException {
        FileEnd end = new FileEnd(length, Arrays.copyOf(last, lastLength));
        List<Inspection> matched = new ArrayList<>();
        for (FormatInspector inspector : structured) {
            inspector.finish(end).ifPresent(matched::add);
        }
        if (matched.size() > 1) {
            throw new UnsafeImageException(List.of(new Refusal(SafetyCheck.MULTIPLE_FORMATS, "the file is "
                    + String.join(" and ", matched.stream().map(i -> i.format().id()).toList()) + " at once")));
        }
        Optional<Inspection> only = matched.stream().findFirst();
        Inspection inspection = only.isPresent() ? only.get() : raw.finish(end).orElseThrow();
        List<Refusal> refusals = new ArrayList<>(inspection.refusals());
        long size = inspection.virtualSize();
        if (refusals.isEmpty() && (size < 0 || size > maxVirtualBytes)) {
            refusals.add(new Refusal(SafetyCheck.VIRTUAL_SIZE, "a virtual size of " + Long.toUnsignedString(size)
                    + " bytes (at most " + maxVirtualBytes + ")"));
        }
        if (!refusals.isEmpty()) {
            throw new UnsafeImageException(refusals);
        }
        return new DiskInfo(inspection.format(), size);
    }
}
