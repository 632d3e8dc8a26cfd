package io.imagehub.domain;

import java.time.Instant;
import java.util.List;

/**
 * One line of the audit trail: who did what to which image, affecting whom, and how it ended
 * ({@link #SUCCESS} or the error code of the refusal).
 */
public record AuditEvent(long eventId, Instant at, String requestId, String actorId, String action, String imageId,
                         List<String> accounts, String outcome, String detail) {
    public static final String SUCCESS = "Success";

    public AuditEvent {
        accounts = accounts == null ? List.of() : List.copyOf(accounts);
    }
}
