package io.imagehub.domain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagehub.domain.Transactions.UnitOfWork;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The events webhooks can subscribe to, and their publication: called inside the transaction of the change (the one
 * that writes its audit event), it writes one delivery per subscribed webhook and queues the job that sends it, so
 * an event exists exactly when the change committed. A recipient's event names only that recipient, never the
 * other accounts an image is shared with.
 */
public final class WebhookEvents {
    /** The owner's events. */
    public static final String IMPORT_FINISHED = "image.import.finished";
    public static final String IMPORT_FAILED = "image.import.failed";
    public static final String SYNC_FINISHED = "image.sync.finished";
    public static final String EXPORT_FINISHED = "image.export.finished";
    public static final String SHARE_ADDED = "share.added";
    public static final String SHARE_CANCELLED = "share.cancelled";
    public static final String SHARE_EXPIRED = "share.expired";
    public static final String SHARE_LIMIT_REACHED = "share.limit_reached";
    public static final String RECIPIENT_REFUSED = "share.recipient_refused";
    /** The recipient's events. */
    public static final String SHARED_WITH_YOU = "shared_image.added";
    public static final String SHARED_CANCELLED = "shared_image.cancelled";
    public static final String SHARED_EXPIRED = "shared_image.expired";
    public static final String SHARED_EXPIRING = "shared_image.expiring";

    public static final Set<String> TYPES = Set.of(IMPORT_FINISHED, IMPORT_FAILED, SYNC_FINISHED, EXPORT_FINISHED,
            SHARE_ADDED, SHARE_CANCELLED, SHARE_EXPIRED, SHARE_LIMIT_REACHED, RECIPIENT_REFUSED, SHARED_WITH_YOU,
            SHARED_CANCELLED, SHARED_EXPIRED, SHARED_EXPIRING);

    /** The durable job that sends one delivery; payload: the delivery id. */
    public static final String JOB_WEBHOOK_DELIVERY = "webhook-delivery";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Clock clock;

    public WebhookEvents(Clock clock) {
        this.clock = clock;
    }

    /** An event for {@code accountId} about {@code image}, naming {@code accounts} (affected accounts it may see). */
    public record Notice(String type, String accountId, Image image, List<String> accounts, String requestId,
                         String detail) {
    }

    /** Writes the deliveries of these events (one read of the accounts' webhooks) and queues their jobs. */
    public void publish(UnitOfWork uow, List<Notice> notices) {
        if (notices.isEmpty()) {
            return;
        }
        Map<String, List<Webhook>> hooks = uow.webhooks().ofAccounts(notices.stream().map(Notice::accountId)
                .collect(Collectors.toSet())).stream().collect(Collectors.groupingBy(Webhook::accountId));
        Instant now = clock.instant();
        for (Notice notice : notices) {
            List<Webhook> subscribed = hooks.getOrDefault(notice.accountId(), List.of()).stream()
                    .filter(h -> h.wants(notice.type())).toList();
            if (subscribed.isEmpty()) {
                continue;
            }
            String eventId = UUID.randomUUID().toString();
            String body = body(eventId, notice, now);
            for (Webhook hook : subscribed) {
                long deliveryId = uow.webhooks().insertDelivery(hook.webhookId(), eventId, notice.type(), body, now);
                uow.jobs().enqueue(JOB_WEBHOOK_DELIVERY, notice.image() == null ? null : notice.image().imageId(),
                        Long.toString(deliveryId), now);
            }
        }
    }

    private static String body(String eventId, Notice notice, Instant at) {
        ObjectNode body = JSON.createObjectNode().put("EventId", eventId).put("Type", notice.type())
                .put("Time", at.toString()).put("AccountId", notice.accountId());
        if (notice.image() != null) {
            body.put("ImageId", notice.image().imageId()).put("ImageName", notice.image().name())
                    .put("Region", notice.image().region());
        }
        notice.accounts().forEach(body.putArray("Accounts")::add);
        body.put("RequestId", notice.requestId());
        if (notice.detail() != null) {
            body.put("Detail", notice.detail());
        }
        return body.toString();
    }
}
