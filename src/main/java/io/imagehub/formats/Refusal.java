package io.imagehub.formats;

/** One failed safety check and what in the file failed it. */
public record Refusal(SafetyCheck check, String detail) {

    /** {@code check-id: detail}, what a user reads as the failure reason. */
    @Override
    public String toString() {
        return check.id() + ": " + detail;
    }
}
