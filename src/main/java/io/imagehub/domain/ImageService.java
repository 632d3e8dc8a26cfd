package io.imagehub.domain;

import static io.imagehub.domain.ErrorCodes.ACCOUNT_IS_YOURSELF;
import static io.imagehub.domain.ErrorCodes.ACCOUNT_NOT_FOUND;
import static io.imagehub.domain.ErrorCodes.IMAGE_NAME_DUPLICATE;
import static io.imagehub.domain.ErrorCodes.IMAGE_QUOTA_LIMIT_EXCEEDED;
import static io.imagehub.domain.ErrorCodes.OVER_QUOTA;

import io.imagehub.domain.ImagePolicy.Relation;
import io.imagehub.domain.Transactions.UnitOfWork;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The image operations. Every change runs in one transaction that also writes its audit event; a refusal is
 * audited in a transaction of its own after the change has rolled back, so nothing of it remains.
 */
public final class ImageService {
    public static final String JOB_IMPORT = "import";
    /** Ends a share at its expiry; payload {@link ShareExpiry}. */
    public static final String JOB_SHARE_EXPIRY = "share-expiry";
    /** Tells the recipient its share ends soon; payload {@link ShareExpiry}. */
    public static final String JOB_SHARE_EXPIRY_NOTICE = "share-expiry-notice";
    /** The audit actions of a share that ended by itself, and of its notice: lower-case, as no caller's action is. */
    public static final String AUDIT_SHARE_EXPIRED = "share-expired";
    public static final String AUDIT_SHARE_EXPIRING = "share-expiring";
    /** An upload under way; due when it expires. */
    public static final String JOB_UPLOAD = "upload";
    /** The audited actions by which a recipient tries to change a shared image (its owner hears of a refusal). */
    private static final Set<String> RECIPIENT_CHANGES = Set.of("ModifyImageAttribute", "DeleteImages", "ShareImage",
            "CancelImageShare", "SyncImages", "ExportImages");

    private final Transactions transactions;
    private final Clock clock;
    private final int shareLimit;
    private final int imageQuota;
    private final Duration shareExpiryHorizon;
    private final Duration shareExpiryNotice;
    private final WebhookEvents events;
    private final InFlightLimits inFlight;

    /** {@code shareExpiryNotice}: how long before a share's expiry its recipient is told (webhook event). */
    public ImageService(Transactions transactions, Clock clock, int shareLimit, int imageQuota,
                        Duration shareExpiryHorizon, Duration shareExpiryNotice, WebhookEvents events,
                        InFlightLimits inFlight) {
        this.transactions = transactions;
        this.clock = clock;
        this.shareLimit = shareLimit;
        this.imageQuota = imageQuota;
        this.shareExpiryHorizon = shareExpiryHorizon;
        this.shareExpiryNotice = shareExpiryNotice;
        this.events = events;
        this.inFlight = inFlight;
    }

    public int imageQuota() {
        return imageQuota;
    }

    public int shareLimit() {
        return shareLimit;
    }

    public Page<ImageView> describe(ImageQuery query) {
        return transactions.run(uow -> uow.images().search(query));
    }

    /** Read before a listing, it tells whether a listing built earlier under the same version is still current. */
    public ListingVersion listingVersion(String accountId) {
        return transactions.run(uow -> uow.images().listingVersion(accountId));
    }

    /**
     * Creates the image row (state IMPORTING) and its import job in one transaction; a worker fills in the bytes.
     * With {@code dryRun} every check runs and nothing is written.
     */
    public Image startImport(CallContext ctx, Image draft, String jobPayload, boolean dryRun) {
        return audited(ctx, "ImportImage", null, List.of(), uow -> {
            uow.accounts().lock(ctx.accountId());
            requireQuotaRoom(uow, ctx.accountId(), ctx.region(), 1);
            requireNameFree(uow, ctx.accountId(), ctx.region(), draft.name(), null);
            requireInFlightRoom(uow, ctx.accountId(), JOB_IMPORT, 1);
            if (dryRun) {
                return draft;
            }
            uow.images().insert(draft);
            uow.jobs().enqueue(JOB_IMPORT, draft.imageId(), jobPayload, clock.instant());
            return draft;
        }, draft.imageId(), dryRun);
    }

    /**
     * An import whose bytes the owner uploads: the image (IMPORTING) and its upload job in one transaction. The job
     * is due when the upload expires (it then fails an image still IMPORTING); while it is queued it holds back
     * garbage collection of the chunks the upload writes (docs/adr/0005, 0012).
     */
    public Image startUpload(CallContext ctx, Image draft, long sizeBytes, Instant expiresAt, boolean dryRun) {
        return audited(ctx, "ImportImage", null, List.of(), uow -> {
            uow.accounts().lock(ctx.accountId());
            requireQuotaRoom(uow, ctx.accountId(), ctx.region(), 1);
            requireNameFree(uow, ctx.accountId(), ctx.region(), draft.name(), null);
            requireInFlightRoom(uow, ctx.accountId(), JOB_UPLOAD, 1);
            if (dryRun) {
                return draft;
            }
            uow.images().insert(draft);
            uow.jobs().enqueueAfter(JOB_UPLOAD, draft.imageId(), "{\"sizeBytes\":" + sizeBytes + "}", clock.instant(),
                    expiresAt);
            return draft;
        }, draft.imageId(), dryRun);
    }

    public void modify(CallContext ctx, String imageId, String name, String description, String family,
                       Boolean deprecated) {
        audited(ctx, "ModifyImageAttribute", imageId, List.of(), uow -> {
            Image image = uow.images().findForUpdate(imageId).orElseThrow(() -> ImagePolicy.notFound(imageId));
            ImagePolicy.requireMayModify(relation(uow, ctx, image), image);
            if (name != null && !name.equals(image.name())) {
                requireNameFree(uow, ctx.accountId(), ctx.region(), name, imageId);
            }
            uow.images().updateAttributes(imageId, name != null ? name : image.name(),
                    description != null ? description : image.description(),
                    family != null ? family : image.family(),
                    deprecated != null ? deprecated : image.deprecated());
            return null;
        }, null, false);
    }

    /** All or nothing: every image is locked and checked before any is deleted. */
    public void delete(CallContext ctx, List<String> imageIds, boolean dryRun) {
        List<String> ids = List.copyOf(new LinkedHashSet<>(imageIds));
        auditedEach(ctx, "DeleteImages", ids, List.of(), uow -> {
            List<Image> images = new ArrayList<>();
            for (String id : ids.stream().sorted().toList()) { // a fixed lock order: no deadlock between two batches
                Image image = uow.images().findForUpdate(id).orElseThrow(() -> ImagePolicy.notFound(id));
                endDueShares(uow, image); // an expired share whose job has not run yet must not block the delete
                ImagePolicy.requireMayDelete(relation(uow, ctx, image), image, uow.shares().count(id));
                images.add(image);
            }
            if (!dryRun) {
                images.forEach(image -> uow.images().delete(image.imageId()));
            }
            return null;
        }, null, dryRun); // one event per image: the batch is its RequestId
    }

    /**
     * SHARE or CANCEL for a list of accounts, atomically: every account is validated and the limit checked
     * before anything changes. The image row lock serialises this against concurrent shares and deletes.
     * A SHARE sets the expiry of every named share, new or not: {@code expiresAt} null means until cancelled.
     */
    public void modifySharePermission(CallContext ctx, String imageId, List<String> accountIds, boolean share,
                                      Instant expiresAt) {
        List<String> accounts = List.copyOf(new LinkedHashSet<>(accountIds));
        audited(ctx, share ? "ShareImage" : "CancelImageShare", imageId, accounts, uow -> {
            Image image = uow.images().findForUpdate(imageId).orElseThrow(() -> ImagePolicy.notFound(imageId));
            Relation relation = relation(uow, ctx, image);
            Instant now = clock.instant();
            if (expiresAt != null) {
                ImagePolicy.requireValidExpiry(expiresAt, now, shareExpiryHorizon);
            }
            endDueShares(uow, image); // the limit counts only shares in force
            if (!share) {
                ImagePolicy.requireOwnerOfShares(relation, image);
                List<String> removed = accounts.stream().filter(a -> uow.shares().remove(imageId, a)).toList();
                events.publish(uow, shareNotices(WebhookEvents.SHARE_CANCELLED, WebhookEvents.SHARED_CANCELLED,
                        ctx.requestId(), image, removed));
                return null;
            }
            ImagePolicy.requireMayShare(relation, image);
            if (accounts.contains(ctx.accountId())) {
                throw new ApiException(ACCOUNT_IS_YOURSELF, "The image cannot be shared with its own account `"
                        + ctx.accountId() + "`.");
            }
            Set<String> existing = uow.accounts().existing(accounts);
            for (String account : accounts) {
                if (!existing.contains(account)) {
                    throw new ApiException(ACCOUNT_NOT_FOUND, "The account `" + account + "` does not exist.");
                }
            }
            List<String> newRecipients = accounts.stream().filter(a -> !uow.shares().exists(imageId, a)).toList();
            int after = uow.shares().count(imageId) + newRecipients.size();
            if (after > shareLimit) {
                throw new ApiException(OVER_QUOTA, "The image `" + imageId + "` can be shared with at most "
                        + shareLimit + " accounts; this call would make it " + after + ".");
            }
            newRecipients.forEach(a -> uow.shares().add(imageId, a, now));
            for (String account : accounts) {
                uow.shares().setExpiry(imageId, account, expiresAt);
                if (expiresAt != null) {
                    enqueueExpiry(uow, new ShareExpiry(imageId, account, expiresAt), now);
                }
            }
            List<WebhookEvents.Notice> notices = new ArrayList<>(shareNotices(WebhookEvents.SHARE_ADDED,
                    WebhookEvents.SHARED_WITH_YOU, ctx.requestId(), image, newRecipients));
            if (!newRecipients.isEmpty() && after == shareLimit) {
                notices.add(new WebhookEvents.Notice(WebhookEvents.SHARE_LIMIT_REACHED, image.ownerId(), image,
                        List.of(), ctx.requestId(), "shares=" + after));
            }
            events.publish(uow, notices);
            return null;
        }, expiresAt == null ? null : "expires=" + expiresAt, false);
    }

    /** Which share a {@link #JOB_SHARE_EXPIRY} job ends, and at which expiry (a later re-share makes it moot). */
    public record ShareExpiry(String imageId, String accountId, Instant expiresAt) {
        private static final ObjectMapper JSON = new ObjectMapper();

        public String toJson() {
            return JSON.createObjectNode().put("ImageId", imageId).put("AccountId", accountId)
                    .put("ExpireTime", expiresAt.toString()).toString();
        }

        public static ShareExpiry fromJson(String json) {
            try {
                JsonNode node = JSON.readTree(json);
                return new ShareExpiry(node.get("ImageId").asText(), node.get("AccountId").asText(),
                        Instant.parse(node.get("ExpireTime").asText()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("unreadable share-expiry job payload", e);
            }
        }
    }

    /** The expiry job at the expiry, and the notice job a notice period before it (at once if that has passed). */
    private void enqueueExpiry(UnitOfWork uow, ShareExpiry expiry, Instant now) {
        uow.jobs().enqueueAfter(JOB_SHARE_EXPIRY, expiry.imageId(), expiry.toJson(), now, expiry.expiresAt());
        Instant noticeAt = expiry.expiresAt().minus(shareExpiryNotice);
        uow.jobs().enqueueAfter(JOB_SHARE_EXPIRY_NOTICE, expiry.imageId(), expiry.toJson(), now,
                noticeAt.isAfter(now) ? noticeAt : now);
    }

    /** The notice job: tells the recipient, unless the share has since been cancelled, re-shared or has ended. */
    public void noticeExpiring(ShareExpiry expiry) {
        transactions.run(uow -> {
            Instant now = clock.instant();
            uow.images().find(expiry.imageId()).ifPresent(image -> uow.shares()
                    .find(expiry.imageId(), expiry.accountId())
                    .filter(s -> expiry.expiresAt().equals(s.expiresAt()) && ImagePolicy.inForce(s, now))
                    .ifPresent(s -> {
                        CallContext system = new CallContext(UUID.randomUUID().toString(), null, image.region(), null);
                        String detail = "expires=" + expiry.expiresAt();
                        appendEvents(uow, system, AUDIT_SHARE_EXPIRING, List.of(image.imageId()),
                                List.of(expiry.accountId()), AuditEvent.SUCCESS, detail);
                        events.publish(uow, List.of(new WebhookEvents.Notice(WebhookEvents.SHARED_EXPIRING,
                                expiry.accountId(), image, List.of(expiry.accountId()), system.requestId(), detail)));
                    }));
            return null;
        });
    }

    /**
     * The job of a share's expiry: ends every share of the image that is due (in the image row's lock, like a
     * CANCEL). A node whose clock is behind the one that queued the job finds the share not yet due and queues the
     * job again for its expiry; a share re-shared with another expiry, or none, is left to its own job.
     */
    public void expireShare(ShareExpiry expiry) {
        transactions.run(uow -> {
            Optional<Image> image = uow.images().findForUpdate(expiry.imageId());
            if (image.isEmpty()) {
                return null; // deleted, which needed every share gone first
            }
            Instant now = clock.instant();
            endDueShares(uow, image.get());
            uow.shares().find(expiry.imageId(), expiry.accountId())
                    .filter(s -> expiry.expiresAt().equals(s.expiresAt()))
                    .ifPresent(s -> uow.jobs().enqueueAfter(JOB_SHARE_EXPIRY, expiry.imageId(), expiry.toJson(),
                            now, expiry.expiresAt()));
            return null;
        });
    }

    /** Ends the image's shares whose expiry has passed, as a CANCEL would, audited as {@link #AUDIT_SHARE_EXPIRED}. */
    private void endDueShares(UnitOfWork uow, Image image) {
        List<String> ended = uow.shares().due(image.imageId(), clock.instant()).stream().map(Share::accountId).toList();
        if (ended.isEmpty()) {
            return;
        }
        ended.forEach(account -> uow.shares().remove(image.imageId(), account));
        CallContext system = new CallContext(UUID.randomUUID().toString(), null, image.region(), null);
        appendEvents(uow, system, AUDIT_SHARE_EXPIRED, List.of(image.imageId()), ended, AuditEvent.SUCCESS, null);
        events.publish(uow, shareNotices(WebhookEvents.SHARE_EXPIRED, WebhookEvents.SHARED_EXPIRED,
                system.requestId(), image, ended));
    }

    /** The owner's event naming every account, and each recipient's naming only itself. */
    private static List<WebhookEvents.Notice> shareNotices(String ownerType, String recipientType, String requestId,
                                                           Image image, List<String> recipients) {
        if (recipients.isEmpty()) {
            return List.of();
        }
        List<WebhookEvents.Notice> notices = new ArrayList<>();
        notices.add(new WebhookEvents.Notice(ownerType, image.ownerId(), image, recipients, requestId, null));
        recipients.forEach(r -> notices.add(new WebhookEvents.Notice(recipientType, r, image, List.of(r), requestId,
                null)));
        return notices;
    }

    /** Decline ({@code declined}) or accept again a share, for the calling recipient only. */
    public void setDeclined(CallContext ctx, String imageId, boolean declined) {
        audited(ctx, declined ? "ImagehubDeclineSharedImage" : "ImagehubAcceptSharedImage", imageId, List.of(), uow -> {
            Image image = uow.images().findForUpdate(imageId).orElseThrow(() -> ImagePolicy.notFound(imageId));
            ImagePolicy.requireRecipient(relation(uow, ctx, image), image);
            Share share = uow.shares().find(imageId, ctx.accountId()).orElseThrow();
            if (share.declined() != declined) {
                uow.shares().setDeclined(imageId, ctx.accountId(), declined ? clock.instant() : null);
            }
            return null;
        }, null, false);
    }

    public List<Share> shares(CallContext ctx, String imageId) {
        return transactions.run(uow -> {
            Image image = uow.images().find(imageId).orElseThrow(() -> ImagePolicy.notFound(imageId));
            ImagePolicy.requireOwnerOfShares(relation(uow, ctx, image), image);
            Instant now = clock.instant();
            return uow.shares().list(imageId).stream().filter(s -> ImagePolicy.inForce(s, now)).toList();
        });
    }

    /** The newest {@code limit} events of one image's audit trail, for its owner (ImagehubDescribeImageAuditEvents). */
    public List<AuditEvent> auditTrail(CallContext ctx, String imageId, int limit) {
        return transactions.run(uow -> {
            Image image = uow.images().find(imageId).orElseThrow(() -> ImagePolicy.notFound(imageId));
            ImagePolicy.requireMayReadAuditTrail(relation(uow, ctx, image), image);
            return uow.audit().query(imageId, null, limit);
        });
    }

    public List<AuditEvent> audit(String imageId, String accountId, int limit) {
        return transactions.run(uow -> uow.audit().query(imageId, accountId, limit));
    }

    Relation relation(UnitOfWork uow, CallContext ctx, Image image) {
        return ImagePolicy.relation(image, ctx.accountId(), ctx.region(), () -> shareInForce(uow, ctx, image).isPresent());
    }

    /** RunInstances and ResetInstance: the caller may launch from the image (which the caller has locked). */
    void requireMayLaunch(UnitOfWork uow, CallContext ctx, Image image) {
        Optional<Share> share = shareInForce(uow, ctx, image);
        ImagePolicy.requireMayLaunch(ImagePolicy.relation(image, ctx.accountId(), ctx.region(), share::isPresent),
                image, share.filter(Share::declined).isPresent());
    }

    private Optional<Share> shareInForce(UnitOfWork uow, CallContext ctx, Image image) {
        if (image.isPublic() || image.ownerId().equals(ctx.accountId())) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return uow.shares().find(image.imageId(), ctx.accountId()).filter(s -> ImagePolicy.inForce(s, now));
    }

    void requireQuotaRoom(UnitOfWork uow, String accountId, String region, int more) {
        int used = uow.images().countOwned(accountId, region);
        if (used + more > imageQuota) {
            throw new ApiException(IMAGE_QUOTA_LIMIT_EXCEEDED, "Your account holds " + used + " custom images in `"
                    + region + "`; the quota is " + imageQuota + ".");
        }
    }

    /**
     * Refuses work that would give the account more than its bound of {@code jobKind} jobs under way (queued or
     * running). The caller holds the account's row lock: two calls, on any nodes, cannot both take the last slot.
     */
    void requireInFlightRoom(UnitOfWork uow, String accountId, String jobKind, int more) {
        InFlightLimits.Bound bound = inFlight.of(jobKind);
        if (bound.max() <= 0) {
            return;
        }
        int pending = uow.jobs().countPending(jobKind, accountId);
        if (pending + more > bound.max()) {
            throw new ApiException(bound.code(), "Your account has " + pending + " " + bound.what()
                    + " under way; at most " + bound.max() + " are allowed at once.");
        }
    }

    static void requireNameFree(UnitOfWork uow, String accountId, String region, String name, String exceptId) {
        if (uow.images().nameTaken(accountId, region, name, exceptId)) {
            throw new ApiException(IMAGE_NAME_DUPLICATE, "An image named `" + name + "` already exists in `"
                    + region + "`.");
        }
    }

    /** Records a refusal that happened before any transaction, such as an outbound URL the policy refused. */
    void auditRefusal(CallContext ctx, String action, ApiException refusal, String detail) {
        transactions.run(uow -> {
            appendEvents(uow, ctx, action, List.of(), List.of(), refusal.code(), detail);
            return null;
        });
    }

    /**
     * Runs {@code work} in a transaction that also records its audit event. A refusal rolls the work back and is
     * then recorded on its own. {@code imageId} may be null when the work returns the {@link Image} it made.
     */
    <T> T audited(CallContext ctx, String action, String imageId, List<String> accounts,
                          Function<UnitOfWork, T> work, String detail, boolean dryRun) {
        return auditedEach(ctx, action, imageId == null ? List.of() : List.of(imageId), accounts, work, detail, dryRun);
    }

    /**
     * As above for a call that names several images: one event per image (same RequestId), so that the trail of
     * any one image is complete when queried by that image.
     */
    private <T> T auditedEach(CallContext ctx, String action, List<String> imageIds, List<String> accounts,
                              Function<UnitOfWork, T> work, String detail, boolean dryRun) {
        String recordedDetail = dryRun ? "DryRun" + (detail == null ? "" : " " + detail) : detail;
        try {
            return transactions.run(uow -> {
                T result = work.apply(uow);
                List<String> targets = !imageIds.isEmpty() ? imageIds
                        : result instanceof Image image ? List.of(image.imageId()) : imageIds;
                appendEvents(uow, ctx, action, targets, accounts, AuditEvent.SUCCESS, recordedDetail);
                return result;
            });
        } catch (ApiException refusal) {
            transactions.run(uow -> {
                appendEvents(uow, ctx, action, imageIds, accounts, refusal.code(), recordedDetail);
                events.publish(uow, refusedRecipientNotices(uow, ctx, action, imageIds, refusal));
                return null;
            });
            throw refusal;
        }
    }

    /** A recipient refused a change to a shared image (modify, delete, re-share, copy, export): its owner hears of it. */
    private List<WebhookEvents.Notice> refusedRecipientNotices(UnitOfWork uow, CallContext ctx, String action,
                                                               List<String> imageIds, ApiException refusal) {
        if (!RECIPIENT_CHANGES.contains(action)) {
            return List.of();
        }
        List<WebhookEvents.Notice> notices = new ArrayList<>();
        for (String imageId : imageIds) {
            uow.images().find(imageId)
                    .filter(image -> relation(uow, ctx, image) == Relation.RECIPIENT)
                    .ifPresent(image -> notices.add(new WebhookEvents.Notice(WebhookEvents.RECIPIENT_REFUSED,
                            image.ownerId(), image, List.of(ctx.accountId()), ctx.requestId(),
                            action + " " + refusal.code())));
        }
        return notices;
    }

    private void appendEvents(UnitOfWork uow, CallContext ctx, String action, List<String> imageIds,
                              List<String> accounts, String outcome, String detail) {
        for (String imageId : imageIds.isEmpty() ? Collections.<String>singletonList(null) : imageIds) {
            uow.audit().append(new AuditEvent(0, clock.instant(), ctx.requestId(), ctx.accountId(), action,
                    imageId, accounts, outcome, detail));
        }
    }
}
