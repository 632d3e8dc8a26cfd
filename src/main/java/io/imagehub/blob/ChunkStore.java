package io.imagehub.blob;

import java.io.IOException;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Content-addressed storage of image chunks, keyed by the lower-case hex SHA-256 of their bytes.
 * One store may serve several regions. Writes are idempotent: a chunk that exists is not written again.
 * Implementations verify the digest of every chunk they return from {@link #get}.
 *
 * <p>Durability (docs/adr/0014-data-plane-flush.md): {@link #put} is durable when it returns. Writers of many chunks
 * (an import, a copy) use a {@link Batch} instead, whose chunks are durable, and readable from any instance on the
 * same storage, only once {@link Batch#flush} has returned: one flush per image, before its manifest is committed.
 */
public interface ChunkStore {

    /** Stores {@code length} bytes of {@code data} under {@code sha256}, durably; returns true if it was newly written. */
    boolean put(String sha256, byte[] data, int length) throws IOException;

    /**
     * The chunks of one writer, made durable together. The default batch puts each chunk durably at once (right for
     * an object store, where every PUT is durable on its answer) and its flush does nothing.
     */
    default Batch batch() {
        return new Batch() {
            @Override
            public boolean put(String sha256, byte[] data, int length) throws IOException {
                return ChunkStore.this.put(sha256, data, length);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
    }

    /**
     * Chunks written together by one writer. {@link #put} may be called from several threads at once; its
     * {@code data} may be reused once it returns. A chunk that was put is guaranteed durable and readable only after
     * {@link #flush} returned; {@link #close} abandons what was not flushed (nothing of it stays behind but what
     * garbage collection removes).
     */
    interface Batch extends AutoCloseable {
        /** Stores {@code length} bytes of {@code data} under {@code sha256}; returns true if it was newly written. */
        boolean put(String sha256, byte[] data, int length) throws IOException;

        /** Makes every chunk put so far durable and readable; the manifest naming them may be committed afterwards. */
        void flush() throws IOException;

        @Override
        void close() throws IOException;
    }

    /** The chunk's bytes, verified against {@code sha256}; throws {@link ChunkNotFoundException} or {@link CorruptChunkException}. */
    byte[] get(String sha256) throws IOException;

    /**
     * Whether the chunks read back from this store match their keys without hashing them again: true only for
     * storage written by imagehub alone, which computed every key from the bytes when it wrote them (a directory
     * store). A bucket others may write to is not trusted.
     */
    default boolean trusted() {
        return false;
    }

    /**
     * The chunk's bytes as a copy to another store reads them: not hashed again if this store is {@link #trusted},
     * verified as {@link #get} does otherwise.
     */
    default byte[] getForCopy(String sha256) throws IOException {
        return get(sha256);
    }

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
