package io.imagehub.domain;

import java.time.Instant;
import java.util.Set;

/** An account's endpoint for the events it subscribed to ({@link WebhookEvents} names them). */
public record Webhook(String webhookId, String accountId, String url, Set<String> eventTypes, Instant createdAt) {
    public Webhook {
        eventTypes = Set.copyOf(eventTypes);
    }

    public boolean wants(String eventType) {
        return eventTypes.contains(eventType);
    }
}
