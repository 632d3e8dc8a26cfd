package io.imagehub.api;

import static io.imagehub.domain.ErrorCodes.INVALID_PARAMETER_VALUE_LIMIT;

import io.imagehub.api.model.ApiMember;
import io.imagehub.api.model.ImageDto;
import io.imagehub.domain.ApiException;
import io.imagehub.domain.AuditEvent;
import io.imagehub.domain.CallContext;
import io.imagehub.domain.ImageService;
import java.util.List;

/**
 * Actions of imagehub's own (the {@code Imagehub} prefix keeps them apart from Tencent's names), for what Tencent
 * answers elsewhere (its STS GetCallerIdentity) or not at all (an image's audit trail). The web console uses them;
 * so may any client.
 */
public final class ImagehubActions {
    private static final int MAX_AUDIT_EVENTS = 100;

    private final ImageService images;

    public ImagehubActions(ImageService images) {
        this.images = images;
    }

    public void register(ActionRegistry registry) {
        registry.registerRegionless("ImagehubGetCallerIdentity", ImageActions.EmptyRequest.class,
                "The account id of the key that signs the request (give it to people who share images with you).",
                (ctx, r) -> new CallerIdentityResponse(ctx.accountId()));
        registry.register("ImagehubDescribeImageAuditEvents", DescribeImageAuditEventsRequest.class,
                "The audit trail of one of your images, newest first: shares, cancels, renames, refusals.",
                this::describeAuditEvents);
    }

    /** The account that signed the request: the id to give to people who want to share an image with you. */
    public record CallerIdentityResponse(String accountId) {
    }

    public record DescribeImageAuditEventsRequest(
            @ApiMember(help = "The image (img-xxxxxxxx); yours, in the request's region.", required = true)
            String imageId,
            @ApiMember(help = "Events to return, newest first (default 20).", min = 1, max = MAX_AUDIT_EVENTS)
            Long limit) {
    }

    /** One audit event; {@code Outcome} is {@code Success} or the error code of the refusal. */
    public record AuditEventDto(String time, String requestId, String actorAccountId, String action,
                                List<String> accountIds, String outcome, String detail) {
    }

    public record DescribeImageAuditEventsResponse(List<AuditEventDto> auditEventSet) {
    }

    Object describeAuditEvents(CallContext ctx, DescribeImageAuditEventsRequest r) {
        Params.imageId(Params.require(r.imageId(), "ImageId"));
        long limit = r.limit() == null ? 20 : r.limit();
        if (limit < 1 || limit > MAX_AUDIT_EVENTS) {
            throw new ApiException(INVALID_PARAMETER_VALUE_LIMIT, "`Limit` must be between 1 and "
                    + MAX_AUDIT_EVENTS + ".");
        }
        List<AuditEvent> events = images.auditTrail(ctx, r.imageId(), (int) limit);
        return new DescribeImageAuditEventsResponse(events.stream().map(e -> new AuditEventDto(ImageDto.time(e.at()),
                e.requestId(), e.actorId(), e.action(), e.accounts(), e.outcome(), e.detail())).toList());
    }
}
