package io.imagehub.formats;

import java.util.List;
import java.util.stream.Collectors;

/** The file failed one or more safety checks; its message is the reason shown to the image's owner. */
public final class UnsafeImageException extends Exception {
    private final List<Refusal> refusals;

    public UnsafeImageException(List<Refusal> refusals) {
        super(refusals.stream().map(Refusal::toString).collect(Collectors.joining("; ")), null, false, false);
        this.refusals = List.copyOf(refusals);
    }

    public List<Refusal> refusals() {
        return refusals;
    }
}
