package io.imagehub.domain;

/**
 * Something a call needs (the metadata store) cannot be reached now. The call changed nothing (its transaction was
 * rolled back or never began) and may be retried as it is; the API answers {@code ServiceUnavailable}, and job
 * workers wait for the store to answer again. Not an {@link ApiException}: it is no refusal, so it is not audited.
 */
public final class UnavailableException extends RuntimeException {
    public UnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
