package io.imagehub.formats;

import java.util.List;

/**
 * What one inspector found in a file of its format: the virtual size its header declares (as read, possibly
 * negative in a hostile header) and every safety check that failed.
 */
public record Inspection(DiskFormat format, long virtualSize, List<Refusal> refusals) {
    public Inspection {
        refusals = List.copyOf(refusals);
    }
}
