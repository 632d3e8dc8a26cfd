package io.imagehub.domain;

import java.util.List;

/** The audit trail. Bound to one transaction. */
public interface AuditLog {
    void append(AuditEvent event);

    /** Events newest first, narrowed to an image and/or an account (as actor or as affected), at most {@code limit}. */
    List<AuditEvent> query(String imageId, String accountId, int limit);
}
