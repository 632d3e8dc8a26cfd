package io.imagehub.blob;

import java.io.IOException;
import java.time.Instant;
import java.util.function.Consumer;

/** A view of another store that passes every call through; subclasses change only what they are about. */
public abstract class ForwardingChunkStore implements ChunkStore {
    protected final ChunkStore store;

    protected ForwardingChunkStore(ChunkStore store) {
        this.store = store;
    }

    /** The store under every view of {@code store}: for what only one kind of store does. */
    public static ChunkStore underlying(ChunkStore store) {
        ChunkStore s = store;
        while (s instanceof ForwardingChunkStore view) {
            s = view.store;
        }
        return s;
    }

    @Override
    public boolean put(String sha256, byte[] data, int length) throws IOException {
        return store.put(sha256, data, length);
    }

    @Override
    public Batch batch() {
        return store.batch();
    }

    @Override
    public byte[] get(String sha256) throws IOException {
        return store.get(sha256);
    }

    @Override
    public boolean trusted() {
        return store.trusted();
    }

    @Override
    public byte[] getForCopy(String sha256) throws IOException {
        return store.getForCopy(sha256);
    }

    @Override
    public boolean contains(String sha256) throws IOException {
        return store.contains(sha256);
    }

    @Override
    public boolean refresh(String sha256) throws IOException {
        return store.refresh(sha256);
    }

    @Override
    public Instant lastModified(String sha256) throws IOException {
        return store.lastModified(sha256);
    }

    @Override
    public void delete(String sha256) throws IOException {
        store.delete(sha256);
    }

    @Override
    public void forEach(Consumer<String> sink) throws IOException {
        store.forEach(sink);
    }

    @Override
    public long chunksWritten() {
        return store.chunksWritten();
    }

    @Override
    public String id() {
        return store.id();
    }

    /** A batch of the underlying store that passes every call through; views override what they change. */
    protected static class ForwardingBatch implements Batch {
        protected final Batch batch;

        protected ForwardingBatch(Batch batch) {
            this.batch = batch;
        }

        @Override
        public boolean put(String sha256, byte[] data, int length) throws IOException {
            return batch.put(sha256, data, length);
        }

        @Override
        public void flush() throws IOException {
            batch.flush();
        }

        @Override
        public void close() throws IOException {
            batch.close();
        }
    }
}
