package io.imagehub.jobs;

import io.imagehub.blob.ChunkStore;
import io.imagehub.blob.ChunkStores;
import io.imagehub.blob.ChunkedImageWriter;
import io.imagehub.blob.Manifest;
import io.imagehub.blob.RateLimitedChunkStore;
import io.imagehub.domain.DataPlaneService;
import io.imagehub.domain.DataPlaneService.SyncPayload;
import io.imagehub.domain.ImageData;
import io.imagehub.domain.JobRepository.Job;
import io.micrometer.core.instrument.Counter;
import java.io.IOException;

/**
 * Fills a SyncImages copy: moves the chunks of the manifest its row already holds from the source region's store
 * to the destination's, then makes it NORMAL. Chunks the destination has are skipped, so a rerun after a crash
 * moves only what is still missing; between regions on one store nothing moves at all.
 */
public final class SyncJob implements JobHandler {
    private final ImageData images;
    private final ChunkStores stores;
    private final long copyBytesPerSecond;
    private final Counter syncedBytes;

    /** {@code copyBytesPerSecond} caps each copy's write rate (0: no cap); {@code syncedBytes}: the bytes moved. */
    public SyncJob(ImageData images, ChunkStores stores, long copyBytesPerSecond, Counter syncedBytes) {
        this.images = images;
        this.stores = stores;
        this.copyBytesPerSecond = copyBytesPerSecond;
        this.syncedBytes = syncedBytes;
    }

    @Override
    public void run(Job job, JobControl control) throws IOException {
        SyncPayload payload = DataPlaneService.parse(job.payload(), SyncPayload.class);
        Manifest manifest = images.manifest(job.imageId());
        if (manifest == null) {
            return; // the copy was removed: nothing left to fill
        }
        ChunkStore to = RateLimitedChunkStore.of(stores.forRegion(payload.region()), copyBytesPerSecond);
        int total = Math.max(1, manifest.chunks().size());
        int[] shownPercent = {0};
        ChunkedImageWriter.CopyResult copied = ChunkedImageWriter.copy(manifest,
                stores.forRegion(payload.sourceRegion()), to, handled -> {
            control.progress("{\"chunks\":" + handled + "}");
            int percent = (int) (handled * 100 / total);
            if (percent > shownPercent[0] && percent < 100) {
                shownPercent[0] = percent;
                images.syncProgress(job.imageId(), percent);
            }
        });
        for (String sha256 : manifest.chunks()) {
            if (!to.contains(sha256)) { // see docs/adr/0005: never complete over a chunk that is not there
                throw new IOException("chunk " + sha256 + " vanished from " + to.id() + " during the copy");
            }
        }
        images.completeData(job.imageId(), manifest);
        syncedBytes.increment(copied.bytesCopied());
    }

    @Override
    public void giveUp(Job job, String error) {
        images.failData(job.imageId(), error);
    }
}
