package io.imagehub.domain;

import static io.imagehub.domain.ErrorCodes.INVALID_REGION_NOT_FOUND;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * SyncImages and ExportImages: the checks, and the rows and durable jobs that carry the bytes. Every destination
 * of one call is checked and created in one transaction, all or nothing.
 */
public final class DataPlaneService {
    public static final String JOB_SYNC = "sync";
    public static final String JOB_EXPORT = "export";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a sync job needs to know beyond its destination image: where the bytes come from and go to. */
    public record SyncPayload(String sourceImageId, String sourceRegion, String region) {
    }

    /**
     * One image to write to an export target under {@code path}, as a {@code format} disk; {@code storedFormat} is
     * what its bytes are (null: never inspected, taken as raw), {@code virtualSizeBytes} the disk they hold.
     */
    public record ExportFile(String imageId, String region, String path, String storedFormat, long virtualSizeBytes,
                             String format) {
    }

    public record ExportPayload(String bucket, List<ExportFile> files) {
    }

    public record ExportTask(long taskId, List<String> paths) {
    }

    /** How long a download URL stays valid: long enough to start a large download, short enough to leak little. */
    public static final Duration DOWNLOAD_URL_VALIDITY = Duration.ofMinutes(15);

    private final ImageService images;
    private final Set<String> regions;
    private final Set<String> exportBuckets;
    private final TransferTokens tokens;
    private final Clock clock;
    private final Runnable jobQueued;

    public DataPlaneService(ImageService images, Set<String> regions, Set<String> exportBuckets,
                            TransferTokens tokens, Clock clock, Runnable jobQueued) {
        this.images = images;
        this.regions = Set.copyOf(regions);
        this.exportBuckets = Set.copyOf(exportBuckets);
        this.tokens = tokens;
        this.clock = clock;
        this.jobQueued = jobQueued;
    }

    /** What a download URL delivers: the image's bytes, to be checked against its digest and size. */
    public record Download(TransferTokens.Grant grant, String sha256, long sizeBytes) {
    }

    /** A signed URL to the bytes of one of the caller's NORMAL images (exports' rule: the owner only). */
    public Download startDownload(CallContext ctx, String imageId) {
        return images.audited(ctx, "ImagehubDescribeImageDownload", imageId, List.of(), uow -> {
            Image image = uow.images().find(imageId).orElseThrow(() -> ImagePolicy.notFound(imageId));
            ImagePolicy.requireMayExport(images.relation(uow, ctx, image), image);
            return new Download(tokens.grant(imageId, TransferTokens.Direction.DOWNLOAD,
                    clock.instant().plus(DOWNLOAD_URL_VALIDITY)), image.sha256(), image.sizeBytes());
        }, null, false);
    }

    /**
     * Copies the caller's NORMAL image to each destination region: a new image there in state SYNCING that holds
     * the source's manifest from the start (so garbage collection keeps the source chunks even if the source is
     * deleted meanwhile), and a sync job that moves the chunks. With {@code dryRun} every check runs, nothing is
     * written, and the result is empty.
     */
    public List<Image> startSync(CallContext ctx, String imageId, List<String> destinations, String name,
                                 boolean dryRun) {
        List<String> targets = List.copyOf(new LinkedHashSet<>(destinations));
        List<Image> started = images.audited(ctx, "SyncImages", imageId, List.of(), uow -> {
            Image source = uow.images().findForUpdate(imageId).orElseThrow(() -> ImagePolicy.notFound(imageId));
            ImagePolicy.Relation relation = images.relation(uow, ctx, source);
            ImagePolicy.requireVisible(relation, imageId);
            for (String region : targets) {
                if (!regions.contains(region)) {
                    throw new ApiException(INVALID_REGION_NOT_FOUND, "The region `" + region + "` does not exist.");
                }
                ImagePolicy.requireMayCopy(relation, source, region);
            }
            String copyName = name != null ? name : source.name();
            uow.accounts().lock(ctx.accountId());
            for (String region : targets) {
                images.requireQuotaRoom(uow, ctx.accountId(), region, 1);
                ImageService.requireNameFree(uow, ctx.accountId(), region, copyName, null);
            }
            images.requireInFlightRoom(uow, ctx.accountId(), JOB_SYNC, targets.size());
            List<Image> copies = new ArrayList<>();
            if (dryRun) {
                return copies;
            }
            String manifest = uow.images().manifest(imageId);
            Instant now = clock.instant();
            for (String region : targets) {
                Image copy = new Image(Ids.imageId(), region, ctx.accountId(), false, copyName, source.description(),
                        ImageState.SYNCING, source.source(), source.osName(), source.platform(),
                        source.architecture(), source.licenseType(), source.bootMode(), source.family(), false, 0,
                        null, 0, Lineage.synced(imageId, source.region()), now, Map.of(), source.diskFormat(),
                        source.virtualSizeBytes(), null);
                uow.images().insert(copy);
                uow.images().completeData(copy.imageId(), ImageState.SYNCING, 0, null, manifest);
                uow.images().updateSyncPercent(copy.imageId(), 0);
                uow.jobs().enqueue(JOB_SYNC, copy.imageId(),
                        json(new SyncPayload(imageId, source.region(), region)), now);
                copies.add(copy);
            }
            return copies;
        }, "to " + String.join(",", targets), dryRun);
        if (!started.isEmpty()) {
            jobQueued.run();
        }
        return started;
    }

    /** Queues the export of the caller's NORMAL images to an operator-configured target; one task for all. */
    public ExportTask startExport(CallContext ctx, String bucket, List<String> imageIds, List<String> prefixes,
                                  String format, boolean dryRun) {
        List<String> ids = List.copyOf(imageIds);
        ExportTask task = images.audited(ctx, "ExportImages", ids.size() == 1 ? ids.get(0) : null, List.of(), uow -> {
            if (!exportBuckets.contains(bucket)) {
                throw new ApiException(ErrorCodes.BUCKET_NOT_FOUND, "The bucket `" + bucket
                        + "` is not an export target of this service; an operator configures them (exportTargets).");
            }
            List<ExportFile> files = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                String id = ids.get(i);
                Image image = uow.images().findForUpdate(id).orElseThrow(() -> ImagePolicy.notFound(id));
                ImagePolicy.requireMayExport(images.relation(uow, ctx, image), image);
                String prefix = prefixes == null ? "" : prefixes.get(i) + "_";
                files.add(new ExportFile(id, image.region(), "/" + prefix + id + "_system." + format,
                        image.diskFormat(), image.diskBytes(), format));
            }
            List<String> paths = files.stream().map(ExportFile::path).toList();
            uow.accounts().lock(ctx.accountId());
            images.requireInFlightRoom(uow, ctx.accountId(), JOB_EXPORT, 1);
            if (dryRun) {
                return new ExportTask(0, List.of());
            }
            // filed under its first image, which the caller owns: that is how its exports under way are counted
            long taskId = uow.jobs().enqueue(JOB_EXPORT, ids.get(0), json(new ExportPayload(bucket, files)),
                    clock.instant());
            return new ExportTask(taskId, paths);
        }, "to " + bucket + " " + String.join(",", ids), dryRun);
        if (!dryRun) {
            jobQueued.run();
        }
        return task;
    }

    public static String json(Object payload) {
        try {
            return JSON.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static <T> T parse(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable job payload: " + json, e);
        }
    }
}
