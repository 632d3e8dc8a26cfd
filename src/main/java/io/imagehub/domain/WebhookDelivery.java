package io.imagehub.domain;

import java.time.Instant;

/**
 * One event for one webhook: its body (signed when sent), and the outcome so far. The same {@code eventId} may
 * arrive more than once (at-least-once); receivers de-duplicate on it.
 *
 * @param lastStatus HTTP status of the last attempt, or null when it got no answer
 */
public record WebhookDelivery(long deliveryId, String webhookId, String eventId, String eventType, String body,
                              String state, int attempts, Integer lastStatus, String lastError, Instant createdAt,
                              Instant lastAttemptAt) {
    public static final String PENDING = "PENDING";
    public static final String DELIVERED = "DELIVERED";
    public static final String FAILED = "FAILED";
}
