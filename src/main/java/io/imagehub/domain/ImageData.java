package io.imagehub.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagehub.blob.Manifest;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The end of an image's data lifecycle: a job has filled it with bytes (NORMAL, with digest and manifest) or given
 * up (the failed state of its kind). The image becomes visible as NORMAL only in the transaction that also stores
 * its complete manifest, so no reader ever sees a half-filled image as usable.
 */
public final class ImageData {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What the failure_reason column (and the audit detail) holds. */
    private static final int MAX_REASON_CHARS = 1024;
    /** The RequestId of audit events written by jobs. */
    private static final String JOB_REQUEST = "job";
    /** The RequestId of the audit event written when an upload's bytes are in. */
    private static final String UPLOAD_REQUEST = "upload";
    private final Transactions transactions;
    private final Clock clock;
    private final WebhookEvents events;

    public ImageData(Transactions transactions, Clock clock, WebhookEvents events) {
        this.transactions = transactions;
        this.clock = clock;
        this.events = events;
    }

    /**
     * The image's bytes are complete, and its row already says what disk they are (a copy, a captured instance
     * disk: the format and virtual size were known when the row was made).
     */
    public void completeData(String imageId, Manifest manifest) {
        String manifestJson = toJson(manifest);
        finish(imageId, "Success", "sha256:" + manifest.sha256() + " bytes=" + manifest.size(), uow ->
                uow.images().completeData(imageId, ImageState.NORMAL, manifest.size(), manifest.sha256(), manifestJson));
    }

    /** The image's bytes are complete and inspection found them to be a {@code diskFormat} disk of that size. */
    public void completeData(String imageId, Manifest manifest, String diskFormat, long virtualSizeBytes) {
        finish(imageId, "Success", diskDetail(manifest, diskFormat, virtualSizeBytes),
                uow -> storeDisk(uow, imageId, manifest, diskFormat, virtualSizeBytes));
    }

    private static void storeDisk(Transactions.UnitOfWork uow, String imageId, Manifest manifest, String diskFormat,
                                  long virtualSizeBytes) {
        uow.images().completeData(imageId, ImageState.NORMAL, manifest.size(), manifest.sha256(), toJson(manifest));
        uow.images().recordDisk(imageId, diskFormat, virtualSizeBytes);
    }

    private static String diskDetail(Manifest manifest, String diskFormat, long virtualSizeBytes) {
        return "sha256:" + manifest.sha256() + " bytes=" + manifest.size() + " format=" + diskFormat + " virtual="
                + virtualSizeBytes;
    }

    /** An upload that may still receive its bytes: its job, and the size announced when it was opened. */
    public record PendingUpload(long jobId, long sizeBytes, String region) {
    }

    /** The image's open upload, if the image is IMPORTING and its upload has not expired or completed. */
    public Optional<PendingUpload> pendingUpload(String imageId) {
        return transactions.run(uow -> uow.images().find(imageId)
                .filter(image -> image.state() == ImageState.IMPORTING)
                .flatMap(image -> uow.jobs().findPending(ImageService.JOB_UPLOAD, imageId)
                        .map(job -> new PendingUpload(job.jobId(), uploadSize(job.payload()), image.region()))));
    }

    private static long uploadSize(String payload) {
        try {
            return JSON.readTree(payload).path("sizeBytes").asLong();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable upload payload: " + payload, e);
        }
    }

    /** The reason an upload's image fails when its upload expires unfinished (see UploadExpiryJob). */
    public void expireUpload(String imageId) {
        boolean importing = transactions.run(uow -> uow.images().find(imageId)
                .map(image -> image.state() == ImageState.IMPORTING).orElse(false));
        if (importing) {
            failData(imageId, "the upload did not complete before it expired");
        }
    }

    /**
     * The bytes of an upload are in: the image becomes NORMAL, its upload job is done and its owner is told, in one
     * transaction; false (nothing changed) if the image is no longer IMPORTING (its upload expired, or it was
     * deleted).
     */
    public boolean completeUpload(String imageId, long uploadJobId, Manifest manifest, String diskFormat,
                                  long virtualSizeBytes) {
        return transactions.run(uow -> {
            Image image = uow.images().findForUpdate(imageId).orElse(null);
            if (image == null || image.state() != ImageState.IMPORTING) {
                return false;
            }
            storeDisk(uow, imageId, manifest, diskFormat, virtualSizeBytes);
            uow.jobs().finish(uploadJobId, "DONE", null, clock.instant());
            announce(uow, image, UPLOAD_REQUEST, "Success", diskDetail(manifest, diskFormat, virtualSizeBytes));
            return true;
        });
    }

    /** The SyncPercent a copy under way shows (below 100: only {@link #completeData} makes it NORMAL). */
    public void syncProgress(String imageId, int percent) {
        transactions.run(uow -> {
            uow.images().updateSyncPercent(imageId, Math.min(percent, 99));
            return null;
        });
    }

    /** The image's bytes could not be had or were refused; the owner reads {@code reason} on the image. */
    public void failData(String imageId, String reason) {
        String bounded = reason.length() <= MAX_REASON_CHARS ? reason : reason.substring(0, MAX_REASON_CHARS - 3) + "...";
        finish(imageId, "Failed", bounded, uow -> uow.images().find(imageId).ifPresent(image -> {
            uow.images().completeData(imageId, failedState(image.state()), 0, null, null);
            uow.images().recordFailure(imageId, bounded);
        }));
    }

    /**
     * Appends to the audit trail that the image was written to an export target ({@code detail}: where, digest), and
     * tells its owner's webhooks in the same transaction.
     */
    public void exported(String imageId, String detail) {
        transactions.run(uow -> {
            Optional<Image> image = uow.images().find(imageId);
            String owner = image.map(Image::ownerId).orElse(null);
            uow.audit().append(new AuditEvent(0, clock.instant(), JOB_REQUEST, owner, "ImageExported", imageId,
                    List.of(), "Success", detail));
            image.ifPresent(i -> events.publish(uow, List.of(new WebhookEvents.Notice(WebhookEvents.EXPORT_FINISHED,
                    owner, i, List.of(), JOB_REQUEST, detail))));
            return null;
        });
    }

    public Manifest manifest(String imageId) {
        String json = transactions.run(uow -> uow.images().manifest(imageId));
        if (json == null) {
            return null;
        }
        try {
            return JSON.readValue(json, Manifest.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the manifest of " + imageId + " is unreadable", e);
        }
    }

    public static String toJson(Manifest manifest) {
        try {
            return JSON.writeValueAsString(manifest);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ImageState failedState(ImageState current) {
        return current == ImageState.IMPORTING ? ImageState.IMPORTFAILED : ImageState.CREATEFAILED;
    }

    private void finish(String imageId, String outcome, String detail,
                        Consumer<Transactions.UnitOfWork> change) {
        transactions.run(uow -> {
            Optional<Image> before = uow.images().find(imageId);
            change.accept(uow);
            before.ifPresentOrElse(image -> announce(uow, image, JOB_REQUEST, outcome, detail),
                    () -> uow.audit().append(new AuditEvent(0, clock.instant(), JOB_REQUEST, null, "ImageDataReady",
                            imageId, List.of(), outcome, detail)));
            return null;
        });
    }

    /** The audit event and the owner's notice that the bytes of {@code image} (as it was before) are settled. */
    private void announce(Transactions.UnitOfWork uow, Image image, String requestId, String outcome, String detail) {
        uow.audit().append(new AuditEvent(0, clock.instant(), requestId, image.ownerId(), "ImageDataReady",
                image.imageId(), List.of(), outcome, detail));
        finishedEvent(image.state(), "Success".equals(outcome)).ifPresent(type -> events.publish(uow,
                List.of(new WebhookEvents.Notice(type, image.ownerId(), image, List.of(), requestId,
                        outcome + " " + detail))));
    }

    /** What the owner hears when the bytes of an image in {@code state} are complete (or given up on). */
    private static Optional<String> finishedEvent(ImageState state, boolean success) {
        return switch (state) {
            case IMPORTING -> Optional.of(success ? WebhookEvents.IMPORT_FINISHED : WebhookEvents.IMPORT_FAILED);
            case SYNCING -> Optional.of(WebhookEvents.SYNC_FINISHED); // per destination region; Detail says how
            default -> Optional.empty();
        };
    }
}
