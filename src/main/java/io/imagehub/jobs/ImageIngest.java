package io.imagehub.jobs;

import io.imagehub.blob.ChunkStore;
import io.imagehub.blob.ChunkedImageWriter;
import io.imagehub.blob.Manifest;
import io.imagehub.formats.DiskInfo;
import io.imagehub.formats.DiskInspection;
import io.imagehub.formats.InspectingInputStream;
import io.imagehub.formats.UnsafeImageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongConsumer;

/**
 * The one way a disk file's bytes become an image's, for every source (an ImportImage download, an upload): one
 * read of the stream that stores it as chunks, computes its digest and inspects its format in the same pass.
 * The chunks go into one batch of the store, flushed once the verdict is known (a truncated file is known only at
 * its end) and before the caller commits the manifest (docs/adr/0014-data-plane-flush.md); a refused image's batch
 * is abandoned, so none of its chunks is published.
 */
public final class ImageIngest {
    /** What a stream became: its chunks and digest, and the disk it holds. */
    public record Ingested(Manifest manifest, DiskInfo disk) {
    }

    /** See {@link #holdBeforeFlushForCrashTest}. */
    public static final String HOLD_BEFORE_FLUSH = "imagehub.crashtest.holdBeforeFlush";

    private final long maxVirtualBytes;

    /** @param maxVirtualBytes the largest virtual size accepted (docs: {@code maxVirtualSizeBytes}) */
    public ImageIngest(long maxVirtualBytes) {
        this.maxVirtualBytes = maxVirtualBytes;
    }

    /**
     * Reads {@code in} to its end into {@code store}, durably: every chunk of the returned manifest is flushed.
     * {@code progress} receives the bytes stored so far.
     *
     * @throws UnsafeImageException when the file fails a safety check (none of its chunks is kept)
     */
    public Ingested ingest(InputStream in, ChunkStore store, LongConsumer progress)
            throws IOException, UnsafeImageException {
        DiskInspection inspection = new DiskInspection(maxVirtualBytes);
        try (ChunkStore.Batch batch = store.batch()) {
            Manifest manifest = ChunkedImageWriter.write(new InspectingInputStream(in, inspection), batch,
                    ChunkedImageWriter.DEFAULT_CHUNK_SIZE, progress);
            DiskInfo disk = inspection.finish();
            holdBeforeFlushForCrashTest();
            batch.flush();
            return new Ingested(manifest, disk);
        }
    }

    /**
     * it/CrashRecoveryTest kills a node between an ingest's last put and its flush: with the system property
     * {@value #HOLD_BEFORE_FLUSH} naming a file, the first ingest to find that file there removes it (the sign that
     * it holds) and waits to be killed. Without the file (e.g. while the node seeds its public images) nothing waits.
     */
    private static void holdBeforeFlushForCrashTest() throws IOException {
        String armed = System.getProperty(HOLD_BEFORE_FLUSH);
        if (armed == null || !Files.deleteIfExists(Path.of(armed))) {
            return;
        }
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while held before the flush");
        }
    }
}
