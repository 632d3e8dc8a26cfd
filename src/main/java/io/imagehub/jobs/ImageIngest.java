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
import java.util.function.LongConsumer;

/**
 * The one way a disk file's bytes become an image's, for every source (an ImportImage download, an upload): one
 * read of the stream that stores it as chunks, computes its digest and inspects its format in the same pass.
 * The chunks are written before the verdict (a truncated file is known only at its end); a refused image
 * references none of them, so garbage collection removes them.
 */
public final class ImageIngest {
    /** What a stream became: its chunks and digest, and the disk it holds. */
    public record Ingested(Manifest manifest, DiskInfo disk) {
    }

    private final long maxVirtualBytes;

    /** @param maxVirtualBytes the largest virtual size accepted (docs: {@code maxVirtualSizeBytes}) */
    public ImageIngest(long maxVirtualBytes) {
        this.maxVirtualBytes = maxVirtualBytes;
    }

    /**
     * Reads {@code in} to its end into {@code store}; {@code progress} receives the bytes stored so far.
     *
     * @throws UnsafeImageException when the file fails a safety check (its chunks are stored, but unreferenced)
     */
    public Ingested ingest(InputStream in, ChunkStore store, LongConsumer progress)
            throws IOException, UnsafeImageException {
        DiskInspection inspection = new DiskInspection(maxVirtualBytes);
        Manifest manifest = ChunkedImageWriter.write(new InspectingInputStream(in, inspection), store,
                ChunkedImageWriter.DEFAULT_CHUNK_SIZE, progress);
        return new Ingested(manifest, inspection.finish());
    }
}
