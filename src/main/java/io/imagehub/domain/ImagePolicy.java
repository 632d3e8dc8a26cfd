package io.imagehub.domain;

import static io.imagehub.domain.ErrorCodes.IMAGE_ID_INCORRECT_STATE;
import static io.imagehub.domain.ErrorCodes.IMAGE_ID_IN_SHARED;
import static io.imagehub.domain.ErrorCodes.IMAGE_ID_NOT_FOUND;
import static io.imagehub.domain.ErrorCodes.IMAGE_NOT_BELONG_TO_ACCOUNT;
import static io.imagehub.domain.ErrorCodes.INVALID_IMAGE_ID_IS_SHARED;
import static io.imagehub.domain.ErrorCodes.INVALID_IMAGE_ID_VALUE;
import static io.imagehub.domain.ErrorCodes.INVALID_IMAGE_STATE;
import static io.imagehub.domain.ErrorCodes.INVALID_PARAMETER_VALUE;
import static io.imagehub.domain.ErrorCodes.INVALID_REGION_VALUE;
import static io.imagehub.domain.ErrorCodes.PUBLIC_IMAGE_EXPORT_UNSUPPORTED;
import static io.imagehub.domain.ErrorCodes.SHARED_IMAGE_EXPORT_UNSUPPORTED;
import static io.imagehub.domain.ErrorCodes.SHARED_IMAGE_MODIFY_UNSUPPORTED;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * Who may do what to an image: every rule of the product in one place. Each check takes the caller's
 * {@link Relation} to the image and either returns or throws the documented Tencent error.
 *
 * <p>Quota: only an owner's custom images count toward its quota (shared images never count for their recipients);
 * that is {@link ImageRepository#countOwned}, which counts by owner.
 *
 * <p>The one rule under all others: an account that is neither owner nor recipient, or that asks from another
 * region, learns nothing about a private image: it gets exactly the answer for an id that does not exist.
 */
public final class ImagePolicy {
    private ImagePolicy() {
    }

    /** What an image is to a caller in a region. */
    public enum Relation {
        /** The caller's own custom image: PRIVATE_IMAGE. */
        OWNER,
        /** Another account's custom image shared with the caller: SHARED_IMAGE. */
        RECIPIENT,
        /** An official image: PUBLIC_IMAGE, visible to all, owned by none. */
        PUBLIC,
        /** Not visible: another account's unshared image, or an image of another region. */
        STRANGER
    }

    /** Shares exist only in the image's region, so outside it every account is a stranger. */
    public static Relation relation(Image image, String callerId, String region, BooleanSupplier sharedWithCaller) {
        if (!image.region().equals(region)) {
            return Relation.STRANGER;
        }
        if (image.isPublic()) {
            return Relation.PUBLIC;
        }
        if (image.ownerId().equals(callerId)) {
            return Relation.OWNER;
        }
        return sharedWithCaller.getAsBoolean() ? Relation.RECIPIENT : Relation.STRANGER;
    }

    public static void requireVisible(Relation relation, String imageId) {
        if (relation == Relation.STRANGER) {
            throw notFound(imageId);
        }
    }

    public static ApiException notFound(String imageId) {
        return new ApiException(IMAGE_ID_NOT_FOUND, "The image `" + imageId + "` does not exist.");
    }

    /** Rename, re-describe: the owner only, and not while the image is still being made. */
    public static void requireMayModify(Relation relation, Image image) {
        requireVisible(relation, image.imageId());
        switch (relation) {
            case RECIPIENT -> throw new ApiException(SHARED_IMAGE_MODIFY_UNSUPPORTED,
                    "The image `" + image.imageId() + "` is shared with you; only its owner can modify it.");
            case PUBLIC -> throw new ApiException(IMAGE_NOT_BELONG_TO_ACCOUNT,
                    "The image `" + image.imageId() + "` is a public image and cannot be modified.");
            default -> requireSettled(image);
        }
    }

    /** Delete: the owner only, not while in progress, and only once every share is cancelled. */
    public static void requireMayDelete(Relation relation, Image image, int shareCount) {
        requireVisible(relation, image.imageId());
        switch (relation) {
            case RECIPIENT -> throw new ApiException(INVALID_IMAGE_ID_IS_SHARED,
                    "The image `" + image.imageId() + "` is shared with you; only its owner can delete it.");
            case PUBLIC -> throw new ApiException(INVALID_IMAGE_ID_VALUE,
                    "The image `" + image.imageId() + "` is a public image and cannot be deleted.");
            default -> {
                requireSettled(image);
                if (shareCount > 0) {
                    throw new ApiException(IMAGE_ID_IN_SHARED, "The image `" + image.imageId() + "` is shared with "
                            + shareCount + " account(s); cancel all shares before deleting it.");
                }
            }
        }
    }

    /** Share, cancel, read the share list: the owner only. Sharing (not cancelling) also needs a NORMAL image. */
    public static void requireOwnerOfShares(Relation relation, Image image) {
        requireVisible(relation, image.imageId());
        if (relation != Relation.OWNER) {
            throw new ApiException(IMAGE_NOT_BELONG_TO_ACCOUNT, "The image `" + image.imageId()
                    + "` does not belong to your account; only the owner of a custom image can manage its shares.");
        }
    }

    /** The audit trail of an image: its owner only (it names every account the image was shared with). */
    public static void requireMayReadAuditTrail(Relation relation, Image image) {
        requireVisible(relation, image.imageId());
        if (relation != Relation.OWNER) {
            throw new ApiException(IMAGE_NOT_BELONG_TO_ACCOUNT, "The image `" + image.imageId()
                    + "` does not belong to your account; only its owner can read its audit trail.");
        }
    }

    public static void requireMayShare(Relation relation, Image image) {
        requireOwnerOfShares(relation, image);
        requireNormal(image);
    }

    /**
     * SyncImages of a NORMAL image to {@code destination}: its owner to any other region; a recipient only into the
     * image's own region (spec S11), which makes a custom image of the recipient's own.
     */
    public static void requireMayCopy(Relation relation, Image image, String destination) {
        requireVisible(relation, image.imageId());
        boolean sameRegion = destination.equals(image.region());
        switch (relation) {
            // spec S11: for a shared image the destination region is what is refused (InvalidRegion)
            case RECIPIENT -> {
                if (!sameRegion) {
                    throw new ApiException(INVALID_REGION_VALUE, "The image `" + image.imageId() + "` is shared with "
                            + "you; only its owner can copy it to other regions (you may copy it within `"
                            + image.region() + "`).");
                }
                requireNormal(image);
            }
            case PUBLIC -> throw new ApiException(INVALID_IMAGE_ID_VALUE, "The image `" + image.imageId()
                    + "` is a public image; only custom images can be copied to other regions.");
            default -> {
                if (sameRegion) {
                    throw new ApiException(INVALID_REGION_VALUE, "The image `" + image.imageId() + "` is already in `"
                            + destination + "`; a custom image can only be synced to other regions.");
                }
                requireNormal(image);
            }
        }
    }

    /** Export: the owner only, of a NORMAL image. */
    public static void requireMayExport(Relation relation, Image image) {
        requireVisible(relation, image.imageId());
        switch (relation) {
            case RECIPIENT -> throw new ApiException(SHARED_IMAGE_EXPORT_UNSUPPORTED,
                    "The image `" + image.imageId() + "` is shared with you and cannot be exported.");
            case PUBLIC -> throw new ApiException(PUBLIC_IMAGE_EXPORT_UNSUPPORTED,
                    "The image `" + image.imageId() + "` is a public image and cannot be exported.");
            default -> requireNormal(image);
        }
    }

    /**
     * Launch (RunInstances) or reinstall (ResetInstance): public images, the caller's own, or images shared with
     * the caller, and only in the image's region (a relation computed for another region is already STRANGER).
     * A recipient that declined the share cannot launch from it until it accepts it again.
     */
    public static void requireMayLaunch(Relation relation, Image image, boolean declinedByCaller) {
        requireVisible(relation, image.imageId());
        if (relation == Relation.RECIPIENT && declinedByCaller) {
            throw new ApiException(INVALID_IMAGE_ID_VALUE, "You declined the shared image `" + image.imageId()
                    + "`; accept it again (ImagehubAcceptSharedImage) to launch from it.");
        }
        requireNormal(image);
    }

    /**
     * A share grants nothing once its expiry has passed, even before the expiry job has removed it: launches are
     * refused from that instant on every node.
     */
    public static boolean inForce(Share share, Instant now) {
        return share.expiresAt() == null || share.expiresAt().isAfter(now);
    }

    /** A share's expiry (ImagehubExpireTime) lies in the future and at most {@code horizon} ahead. */
    public static void requireValidExpiry(Instant expiresAt, Instant now, Duration horizon) {
        if (!expiresAt.isAfter(now)) {
            throw new ApiException(INVALID_PARAMETER_VALUE, "`ImagehubExpireTime` " + expiresAt
                    + " is not in the future.");
        }
        if (expiresAt.isAfter(now.plus(horizon))) {
            throw new ApiException(INVALID_PARAMETER_VALUE, "`ImagehubExpireTime` " + expiresAt + " is more than "
                    + horizon.toDays() + " days ahead, the longest a share may be given for.");
        }
    }

    /** Decline or accept again: only the recipient of a share, for itself. */
    public static void requireRecipient(Relation relation, Image image) {
        requireVisible(relation, image.imageId());
        if (relation != Relation.RECIPIENT) {
            throw new ApiException(INVALID_IMAGE_ID_VALUE, "The image `" + image.imageId()
                    + "` is not shared with you; only a recipient can decline or accept a shared image.");
        }
    }

    private static void requireNormal(Image image) {
        if (image.state() != ImageState.NORMAL) {
            throw new ApiException(INVALID_IMAGE_STATE, "The image `" + image.imageId() + "` is in state "
                    + image.state() + "; the operation needs NORMAL.");
        }
    }

    private static void requireSettled(Image image) {
        if (image.state().inProgress()) {
            throw new ApiException(IMAGE_ID_INCORRECT_STATE, "The image `" + image.imageId() + "` is in state "
                    + image.state() + " and cannot be changed until that finishes.");
        }
    }
}
