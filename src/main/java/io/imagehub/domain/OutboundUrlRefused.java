package io.imagehub.domain;

/**
 * An outbound URL the {@link OutboundUrlPolicy} will not fetch. The message names the part that was refused
 * ("the path ...", "the host ...") and never a resolved address, so it can be shown to the caller as it is.
 */
public final class OutboundUrlRefused extends Exception {
    public OutboundUrlRefused(String reason) {
        super(reason, null, false, false);
    }
}
