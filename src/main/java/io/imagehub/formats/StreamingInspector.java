package io.imagehub.formats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The common part of the inspectors of structured formats: region capture, the first bytes of the file (where every
 * format but a fixed VHD has its magic), the refusals found so far, and the length the file must have for every
 * structure it points at to be inside it (the truncation check).
 */
abstract class StreamingInspector implements FormatInspector {
    private static final int LEAD_BYTES = 8;

    protected final RegionCapture regions = new RegionCapture();
    private final List<Refusal> refusals = new ArrayList<>();
    private byte[] lead;
    private long requiredLength;
    private String requiredBy;

    StreamingInspector() {
        regions.capture(0, LEAD_BYTES, bytes -> lead = bytes);
    }

    @Override
    public final void accept(byte[] buffer, int offset, int length) {
        regions.accept(buffer, offset, length);
    }

    /** Whether the file starts with {@code magic} (at most 8 bytes). */
    protected final boolean startsWith(byte[] magic) {
        return lead != null && Arrays.equals(lead, 0, magic.length, magic, 0, magic.length);
    }

    /** Whether the file is of this format, judged from its magic (the rest may still be refused). */
    protected abstract boolean matches(FileEnd end);

    /** The virtual size declared, or -1 when the header that declares it is missing. */
    protected abstract long virtualSize();

    /** Checks that need the end of the file; the default has none. */
    protected void checkEnd(FileEnd end) {
    }

    protected final void refuse(SafetyCheck check, String detail) {
        refusals.add(new Refusal(check, detail));
    }

    /** Records that the file must be at least {@code end} bytes long because {@code what} ends there. */
    protected final void requireLength(long end, String what) {
        if (end > requiredLength || end < 0) {
            requiredLength = end < 0 ? Long.MAX_VALUE : end;
            requiredBy = what;
        }
    }

    @Override
    public final Optional<Inspection> finish(FileEnd end) {
        if (!matches(end)) {
            return Optional.empty();
        }
        if (regions.malformed() != null) {
            refuse(SafetyCheck.MALFORMED, regions.malformed());
        } else if (!regions.allComplete()) {
            refuse(SafetyCheck.TRUNCATED, "the file ends inside its " + format().id() + " metadata");
        } else {
            try {
                checkEnd(end);
            } catch (RegionCapture.MalformedException e) {
                refuse(SafetyCheck.MALFORMED, e.getMessage());
            }
        }
        if (requiredLength > end.length() && refusals.stream().noneMatch(r -> r.check() == SafetyCheck.TRUNCATED)) {
            refuse(SafetyCheck.TRUNCATED, requiredBy + " ends at byte " + requiredLength + " of a file of "
                    + end.length() + " bytes");
        }
        return Optional.of(new Inspection(format(), virtualSize(), refusals));
    }
}
