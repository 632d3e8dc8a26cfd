package io.imagehub.domain;

import static io.imagehub.domain.ErrorCodes.INVALID_PARAMETER_VALUE;
import static io.imagehub.domain.ErrorCodes.INVALID_URL;
import static io.imagehub.domain.ErrorCodes.LIMIT_EXCEEDED;
import static io.imagehub.domain.ErrorCodes.WEBHOOK_NOT_FOUND;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * An account's webhooks: registration (the destination must pass the operator's outbound URL policy, as an
 * ImportImage URL must), the delivery log, and the retry rule of a delivery: exponential backoff from
 * {@code retryBase}, doubling up to {@code retryMax}, for at most {@code retryWindow} after the event.
 */
public final class WebhookService {
    public static final int MAX_WEBHOOKS_PER_ACCOUNT = 10;
    public static final int MAX_DELIVERIES_LISTED = 100;
    public static final int MIN_SECRET = 16;
    public static final int MAX_SECRET = 128;
    private static final String SECRET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final Transactions transactions;
    private final ImageService images;
    private final SecretCipher cipher;
    private final OutboundUrlPolicy destinations;
    private final Clock clock;
    private final Duration retryBase;
    private final Duration retryMax;
    private final Duration retryWindow;

    public WebhookService(Transactions transactions, ImageService images, SecretCipher cipher,
                          OutboundUrlPolicy destinations, Clock clock, Duration retryBase, Duration retryMax,
                          Duration retryWindow) {
        this.transactions = transactions;
        this.images = images;
        this.cipher = cipher;
        this.destinations = destinations;
        this.clock = clock;
        this.retryBase = retryBase;
        this.retryMax = retryMax;
        this.retryWindow = retryWindow;
    }

    /** A new webhook and its secret, shown once. */
    public record Created(Webhook webhook, String secret) {
    }

    public Created create(CallContext ctx, String url, List<String> eventTypes, String secret) {
        Set<String> types = new TreeSet<>(eventTypes);
        for (String type : types) {
            if (!WebhookEvents.TYPES.contains(type)) {
                throw new ApiException(INVALID_PARAMETER_VALUE, "`EventTypes` has `" + type
                        + "`, which is not one of " + new TreeSet<>(WebhookEvents.TYPES) + ".");
            }
        }
        if (secret != null && (secret.length() < MIN_SECRET || secret.length() > MAX_SECRET)) {
            throw new ApiException(INVALID_PARAMETER_VALUE, "`Secret` must have " + MIN_SECRET + " to " + MAX_SECRET
                    + " characters.");
        }
        try {
            destinations.check(url);
        } catch (OutboundUrlRefused refused) {
            ApiException refusal = new ApiException(INVALID_URL, "`Url` is refused: " + refused.getMessage() + ".");
            images.auditRefusal(ctx, "ImagehubCreateWebhook", refusal, null);
            throw refusal;
        }
        String key = secret != null ? secret : Ids.random(SECRET_ALPHABET, 40);
        Webhook webhook = new Webhook(Ids.webhookId(), ctx.accountId(), url, types, clock.instant());
        images.audited(ctx, "ImagehubCreateWebhook", null, List.of(), uow -> {
            uow.accounts().lock(ctx.accountId()); // serialises the count check of one account
            if (uow.webhooks().count(ctx.accountId()) >= MAX_WEBHOOKS_PER_ACCOUNT) {
                throw new ApiException(LIMIT_EXCEEDED, "An account can register at most " + MAX_WEBHOOKS_PER_ACCOUNT
                        + " webhooks.");
            }
            uow.webhooks().insert(webhook, cipher.encrypt(webhook.webhookId(), key));
            return null;
        }, webhook.webhookId() + " " + url, false);
        return new Created(webhook, key);
    }

    public List<Webhook> describe(CallContext ctx) {
        return transactions.run(uow -> uow.webhooks().list(ctx.accountId()));
    }

    public void delete(CallContext ctx, String webhookId) {
        images.audited(ctx, "ImagehubDeleteWebhook", null, List.of(), uow -> {
            owned(uow, ctx, webhookId);
            uow.webhooks().delete(webhookId);
            return null;
        }, webhookId, false);
    }

    /** The webhook's newest deliveries: what was sent, how often, and what the endpoint answered. */
    public List<WebhookDelivery> deliveries(CallContext ctx, String webhookId, int limit) {
        return transactions.run(uow -> {
            owned(uow, ctx, webhookId);
            return uow.webhooks().deliveries(webhookId, Math.min(limit, MAX_DELIVERIES_LISTED));
        });
    }

    /** Another account's webhook is answered as one that does not exist. */
    private static Webhook owned(Transactions.UnitOfWork uow, CallContext ctx, String webhookId) {
        return uow.webhooks().find(webhookId).filter(h -> h.accountId().equals(ctx.accountId()))
                .orElseThrow(() -> new ApiException(WEBHOOK_NOT_FOUND, "The webhook `" + webhookId
                        + "` does not exist."));
    }

    /** What one attempt sends: the delivery, where to, and the secret that signs it. */
    public record Attempt(WebhookDelivery delivery, String url, String secret) {
    }

    /** The next attempt of a delivery, unless it is settled or its webhook was deleted. */
    public Optional<Attempt> nextAttempt(long deliveryId) {
        return transactions.run(uow -> uow.webhooks().delivery(deliveryId)
                .filter(d -> WebhookDelivery.PENDING.equals(d.state()))
                .flatMap(d -> uow.webhooks().find(d.webhookId()).map(hook -> new Attempt(d, hook.url(),
                        cipher.decrypt(hook.webhookId(), uow.webhooks().secret(hook.webhookId()).orElseThrow())))));
    }

    /**
     * Records an attempt: a 2xx answer delivers it; anything else is retried after a backoff that doubles with each
     * attempt, until the retry window after the event has passed, and then the delivery has failed.
     */
    public void recordAttempt(WebhookDelivery delivery, Integer status, String error) {
        Instant now = clock.instant();
        boolean delivered = status != null && status >= 200 && status < 300;
        Instant retryAt = now.plus(backoff(delivery.attempts() + 1));
        boolean retry = !delivered && !retryAt.isAfter(delivery.createdAt().plus(retryWindow));
        transactions.run(uow -> {
            uow.webhooks().recordAttempt(delivery.deliveryId(), delivered ? WebhookDelivery.DELIVERED
                    : retry ? WebhookDelivery.PENDING : WebhookDelivery.FAILED, status, error, now);
            if (retry) {
                uow.jobs().enqueueAfter(WebhookEvents.JOB_WEBHOOK_DELIVERY, null,
                        Long.toString(delivery.deliveryId()), now, retryAt);
            }
            return null;
        });
    }

    /** retryBase, 2 retryBase, 4 retryBase, ... at most retryMax, before attempt {@code attempt + 1}. */
    Duration backoff(int attempt) {
        Duration wait = retryBase.multipliedBy(1L << Math.min(attempt - 1, 30));
        return wait.compareTo(retryMax) > 0 ? retryMax : wait;
    }
}
