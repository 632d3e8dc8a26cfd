package io.imagehub.domain;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Webhooks and their delivery log. Bound to one transaction. */
public interface WebhookRepository {
    void insert(Webhook webhook, String secretEncrypted);

    Optional<Webhook> find(String webhookId);

    /** The stored (encrypted) secret of a webhook. */
    Optional<String> secret(String webhookId);

    List<Webhook> list(String accountId);

    int count(String accountId);

    /** Deletes the webhook and its delivery log. */
    boolean delete(String webhookId);

    /** Every webhook of these accounts: what a change's events are matched against, in one read. */
    List<Webhook> ofAccounts(Collection<String> accountIds);

    long insertDelivery(String webhookId, String eventId, String eventType, String body, Instant at);

    Optional<WebhookDelivery> delivery(long deliveryId);

    void recordAttempt(long deliveryId, String state, Integer status, String error, Instant at);

    /** The newest deliveries of the webhook, at most {@code limit}. */
    List<WebhookDelivery> deliveries(String webhookId, int limit);
}
