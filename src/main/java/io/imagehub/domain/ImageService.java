package io.imagehub.domain;

import static io.imagehub.domain.ErrorCodes.ACCOUNT_IS_YOURSELF;
import static io.imagehub.domain.ErrorCodes.ACCOUNT_NOT_FOUND;
import static io.imagehub.domain.ErrorCodes.IMAGE_NAME_DUPLICATE;
import static io.imagehub.domain.ErrorCodes.IMAGE_QUOTA_LIMIT_EXCEEDED;
import static io.imagehub.domain.ErrorCodes.OVER_QUOTA;

import io.imagehub.domain.ImagePolicy.Relation;
import io.imagehub.domain.Transactions.UnitOfWork;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The image operations. Every change runs in one transaction that also writes its audit event; a refusal is
 * audited in a transaction of its own after the change has rolled back, so nothing of it remains.
 */
public final class ImageService {
    public static final String JOB_IMPORT = "import";

    private final Transactions transactions;
    private final Clock clock;
    private final int shareLimit;
    private final int imageQuota;

    public ImageService(Transactions transactions, Clock clock, int shareLimit, int imageQuota) {
        this.transactions = transactions;
        this.clock = clock;
        this.shareLimit = shareLimit;
        this.imageQuota = imageQuota;
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
            if (dryRun) {
                return draft;
            }
            uow.images().insert(draft);
            uow.jobs().enqueue(JOB_IMPORT, draft.imageId(), jobPayload, clock.instant());
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
     */
    public void modifySharePermission(CallContext ctx, String imageId, List<String> accountIds, boolean share) {
        List<String> accounts = List.copyOf(new LinkedHashSet<>(accountIds));
        audited(ctx, share ? "ShareImage" : "CancelImageShare", imageId, accounts, uow -> {
            Image image = uow.images().findForUpdate(imageId).orElseThrow(() -> ImagePolicy.notFound(imageId));
            Relation relation = relation(uow, ctx, image);
            if (!share) {
                ImagePolicy.requireOwnerOfShares(relation, image);
                accounts.forEach(a -> uow.shares().remove(imageId, a));
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
            Instant now = clock.instant();
            newRecipients.forEach(a -> uow.shares().add(imageId, a, now));
            return null;
        }, null, false);
    }

    public List<Share> shares(CallContext ctx, String imageId) {
        return transactions.run(uow -> {
            Image image = uow.images().find(imageId).orElseThrow(() -> ImagePolicy.notFound(imageId));
            ImagePolicy.requireOwnerOfShares(relation(uow, ctx, image), image);
            return uow.shares().list(imageId);
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
        return ImagePolicy.relation(image, ctx.accountId(), ctx.region(),
                () -> uow.shares().exists(image.imageId(), ctx.accountId()));
    }

    void requireQuotaRoom(UnitOfWork uow, String accountId, String region, int more) {
        int used = uow.images().countOwned(accountId, region);
        if (used + more > imageQuota) {
            throw new ApiException(IMAGE_QUOTA_LIMIT_EXCEEDED, "Your account holds " + used + " custom images in `"
                    + region + "`; the quota is " + imageQuota + ".");
        }
    }

    static void requireNameFree(UnitOfWork uow, String accountId, String region, String name, String exceptId) {
        if (uow.images().nameTaken(accountId, region, name, exceptId)) {
            throw new ApiException(IMAGE_NAME_DUPLICATE, "An image named `" + name + "` already exists in `"
                    + region + "`.");
        }
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
                return null;
            });
            throw refusal;
        }
    }

    private void appendEvents(UnitOfWork uow, CallContext ctx, String action, List<String> imageIds,
                              List<String> accounts, String outcome, String detail) {
        for (String imageId : imageIds.isEmpty() ? Collections.<String>singletonList(null) : imageIds) {
            uow.audit().append(new AuditEvent(0, clock.instant(), ctx.requestId(), ctx.accountId(), action,
                    imageId, accounts, outcome, detail));
        }
    }
}
