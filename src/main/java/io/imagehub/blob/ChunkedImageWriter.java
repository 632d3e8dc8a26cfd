package io.imagehub.blob;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;

/** Splits images into fixed-size chunks in a {@link ChunkStore}, and copies them between stores. */
public final class ChunkedImageWriter {

    /** 4 MiB: see docs/adr/0002-chunking.md. */
    public static final int DEFAULT_CHUNK_SIZE = 4 * 1024 * 1024;

    /** What {@link #copy} did: the manifest, now readable from the target, and what it had to transfer. */
    public record CopyResult(Manifest manifest, int chunksCopied, long bytesCopied) {
    }

    private ChunkedImageWriter() {
    }

    /**
     * Reads {@code in} to its end, storing every {@code chunkSize} bytes (the last chunk may be shorter) as a
     * chunk. {@code progress} receives the number of bytes stored so far after each chunk.
     */
    public static Manifest write(InputStream in, ChunkStore store, int chunkSize, LongConsumer progress)
            throws IOException {
        if (chunkSize <= 0) {
            throw new IllegalArgumentException("chunk size must be positive: " + chunkSize);
        }
        byte[] buffer = new byte[chunkSize];
        MessageDigest chunkDigest = Sha256.newDigest();
        MessageDigest imageDigest = Sha256.newDigest();
        List<String> chunks = new ArrayList<>();
        // disk images repeat chunks (zeroed blocks above all): ask the store about each digest only once
        Set<String> stored = new HashSet<>();
        long size = 0;
        int length;
        while ((length = in.readNBytes(buffer, 0, chunkSize)) > 0) {
            chunkDigest.update(buffer, 0, length);
            imageDigest.update(buffer, 0, length);
            String sha256 = Sha256.hex(chunkDigest);
            if (stored.add(sha256)) {
                store.put(sha256, buffer, length);
            }
            chunks.add(sha256);
            size += length;
            progress.accept(size);
        }
        return new Manifest(chunks, size, Sha256.hex(imageDigest));
    }

    /**
     * Makes {@code manifest} readable from {@code to} by copying the chunks it lacks from {@code from}.
     * {@code progress} receives the number of the manifest's chunks handled so far, copied or not. Chunks the target
     * already holds are refreshed, not copied, so a rerun after a crash moves only what is still missing.
     * Stores with the same {@link ChunkStore#id()} share their chunks, so nothing is copied between them.
     */
    public static CopyResult copy(Manifest manifest, ChunkStore from, ChunkStore to, LongConsumer progress)
            throws IOException {
        if (from.id().equals(to.id())) {
            progress.accept(manifest.chunks().size());
            return new CopyResult(manifest, 0, 0);
        }
        Set<String> handled = new HashSet<>();
        int chunksCopied = 0;
        long bytesCopied = 0;
        long chunksHandled = 0;
        for (String sha256 : manifest.chunks()) {
            if (handled.add(sha256) && !to.refresh(sha256)) {
                byte[] data = from.get(sha256);
                if (to.put(sha256, data, data.length)) {
                    chunksCopied++;
                    bytesCopied += data.length;
                }
            }
            progress.accept(++chunksHandled);
        }
        return new CopyResult(manifest, chunksCopied, bytesCopied);
    }
}
