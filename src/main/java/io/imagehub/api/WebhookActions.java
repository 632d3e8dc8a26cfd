package io.imagehub.api;

import static io.imagehub.domain.ErrorCodes.INVALID_PARAMETER_VALUE;
import static io.imagehub.domain.ErrorCodes.INVALID_PARAMETER_VALUE_LIMIT;

import io.imagehub.api.model.ApiMember;
import io.imagehub.api.model.ImageDto;
import io.imagehub.domain.ApiException;
import io.imagehub.domain.CallContext;
import io.imagehub.domain.Ids;
import io.imagehub.domain.Webhook;
import io.imagehub.domain.WebhookDelivery;
import io.imagehub.domain.WebhookService;
import java.util.List;

/**
 * Webhooks (docs/sharing.md): an account registers endpoints for the events it wants and reads their delivery log.
 * Webhooks belong to the account, not to a region, so the actions need no X-TC-Region.
 */
public final class WebhookActions {
    private static final int MAX_URL = 2048;
    private static final int MAX_EVENT_TYPES = 20;

    private final WebhookService webhooks;

    public WebhookActions(WebhookService webhooks) {
        this.webhooks = webhooks;
    }

    public void register(ActionRegistry registry) {
        registry.registerRegionless("ImagehubCreateWebhook", CreateWebhookRequest.class,
                "Registers an HTTP(S) endpoint for events about your images and the images shared with you.",
                this::create);
        registry.registerRegionless("ImagehubDescribeWebhooks", ImageActions.EmptyRequest.class,
                "Lists your webhooks.", (ctx, r) -> new DescribeWebhooksResponse(
                        webhooks.describe(ctx).stream().map(WebhookDto::of).toList()));
        registry.registerRegionless("ImagehubDeleteWebhook", WebhookIdRequest.class,
                "Deletes a webhook and its delivery log.", this::delete);
        registry.registerRegionless("ImagehubDescribeWebhookDeliveries", DescribeDeliveriesRequest.class,
                "The delivery log of a webhook, newest first: event, attempts, the endpoint's last status code.",
                this::deliveries);
    }

    public record CreateWebhookRequest(
            @ApiMember(help = "Where to POST the events (http or https); the operator's --webhook-allow must allow it.",
                    required = true, maxLength = MAX_URL) String url,
            @ApiMember(help = "The event types to deliver (docs/sharing.md lists them).", required = true,
                    maxItems = MAX_EVENT_TYPES) List<String> eventTypes,
            @ApiMember(help = "The HMAC-SHA256 key of the signature header (16-128 characters); absent: one is made "
                    + "and answered once.") String secret) {
    }

    public record CreateWebhookResponse(String webhookId, String secret) {
    }

    Object create(CallContext ctx, CreateWebhookRequest r) {
        Params.maxLength(Params.require(r.url(), "Url"), MAX_URL, "Url");
        Params.requireNonEmpty(r.eventTypes(), "EventTypes");
        Params.maxCount(r.eventTypes(), MAX_EVENT_TYPES, "EventTypes");
        WebhookService.Created created = webhooks.create(ctx, r.url(), r.eventTypes(), r.secret());
        return new CreateWebhookResponse(created.webhook().webhookId(), created.secret());
    }

    public record WebhookDto(String webhookId, String url, List<String> eventTypes, String createdTime) {
        static WebhookDto of(Webhook w) {
            return new WebhookDto(w.webhookId(), w.url(), w.eventTypes().stream().sorted().toList(),
                    ImageDto.time(w.createdAt()));
        }
    }

    public record DescribeWebhooksResponse(List<WebhookDto> webhookSet) {
    }

    public record WebhookIdRequest(
            @ApiMember(help = "The webhook (wh-xxxxxxxx).", required = true) String webhookId) {
    }

    Object delete(CallContext ctx, WebhookIdRequest r) {
        webhooks.delete(ctx, webhookId(r.webhookId()));
        return null;
    }

    public record DescribeDeliveriesRequest(
            @ApiMember(help = "The webhook (wh-xxxxxxxx).", required = true) String webhookId,
            @ApiMember(help = "Deliveries to return, newest first (default 20).", min = 1,
                    max = WebhookService.MAX_DELIVERIES_LISTED) Long limit) {
    }

    /** {@code lastStatusCode}: the HTTP status the endpoint answered last; absent when it did not answer. */
    public record DeliveryDto(Long deliveryId, String eventId, String eventType, String state, Integer attempts,
                              Integer lastStatusCode, String lastError, String createdTime, String lastAttemptTime) {
        static DeliveryDto of(WebhookDelivery d) {
            return new DeliveryDto(d.deliveryId(), d.eventId(), d.eventType(), d.state(), d.attempts(), d.lastStatus(),
                    d.lastError(), ImageDto.time(d.createdAt()),
                    d.lastAttemptAt() == null ? null : ImageDto.time(d.lastAttemptAt()));
        }
    }

    public record DescribeDeliveriesResponse(List<DeliveryDto> deliverySet) {
    }

    Object deliveries(CallContext ctx, DescribeDeliveriesRequest r) {
        long limit = r.limit() == null ? 20 : r.limit();
        if (limit < 1 || limit > WebhookService.MAX_DELIVERIES_LISTED) {
            throw new ApiException(INVALID_PARAMETER_VALUE_LIMIT, "`Limit` must be between 1 and "
                    + WebhookService.MAX_DELIVERIES_LISTED + ".");
        }
        return new DescribeDeliveriesResponse(webhooks.deliveries(ctx, webhookId(r.webhookId()), (int) limit).stream()
                .map(DeliveryDto::of).toList());
    }

    private static String webhookId(String id) {
        Params.require(id, "WebhookId");
        if (!Ids.WEBHOOK_ID.matcher(id).matches()) {
            throw new ApiException(INVALID_PARAMETER_VALUE, "The webhook id `" + id
                    + "` is malformed; expected wh- followed by 8 lower-case letters or digits.");
        }
        return id;
    }
}
