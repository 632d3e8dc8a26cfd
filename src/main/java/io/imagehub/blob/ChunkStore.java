package io.imagehub.blob;

import java.io.IOException;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Content-addressed storage of image chunks, keyed by the lower-case hex SHA-256 of their bytes.
 * One store may serve several regions. Writes are idempotent: a chunk that exists is not written again.
 * Implementations verify the digest of every chunk they return.
 */
public interface ChunkStore {

    /** Stores {@code length} bytes of {@code data} under {@code sha256}; returns true if it was newly written. */
    boolean put(String sha256, byte[] data, int length) throws IOException;

    /** The chunk's bytes, verified against {@code sha256}; throws {@link ChunkNotFoundException} or {@link CorruptChunkException}. */
    byte[] get(String sha256) throws IOException;

    boolean contains(String sha256) throws IOException;

    /**
     * Whether the chunk is stored; if it is, marks it as just used, so that garbage collection's grace period
     * protects a chunk that a writer is about to reference again (see docs/adr/0005-garbage-collection.md).
     * {@link #put} of a chunk that exists does the same.
     */
    boolean refresh(String sha256) throws IOException;

    /** When the chunk was last written or refreshed, or null if it is not stored. */
    Instant lastModified(String sha256) throws IOException;

    /** Removes the chunk if present (garbage collection only). */
    void delete(String sha256) throws IOException;

    /** Calls {@code sink} with the digest of every stored chunk. */
    void forEach(Consumer<String> sink) throws IOException;

    /** Number of chunks this instance has newly written since it was created (for tests and metrics). */
    long chunksWritten();

    /** Stable identity of the underlying storage: two stores with equal ids hold the same chunks. */
    String id();
}
