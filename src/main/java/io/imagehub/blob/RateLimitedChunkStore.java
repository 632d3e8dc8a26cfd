package io.imagehub.blob;

import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * A view of a store whose new writes are paced to at most {@code bytesPerSecond} on average, so that copies between
 * regions do not starve the node's disk or network. Everything else passes straight through; the view has the
 * store's identity.
 */
public final class RateLimitedChunkStore extends ForwardingChunkStore {
    private final long bytesPerSecond;
    private final long startNanos = System.nanoTime();
    private long bytesWritten;

    public RateLimitedChunkStore(ChunkStore store, long bytesPerSecond) {
        super(store);
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("rate must be positive: " + bytesPerSecond);
        }
        this.bytesPerSecond = bytesPerSecond;
    }

    /** The store itself when {@code bytesPerSecond} is 0 (no limit), else a paced view of it. */
    public static ChunkStore of(ChunkStore store, long bytesPerSecond) {
        return bytesPerSecond <= 0 ? store : new RateLimitedChunkStore(store, bytesPerSecond);
    }

    @Override
    public boolean put(String sha256, byte[] data, int length) throws IOException {
        return paced(store.put(sha256, data, length), length);
    }

    @Override
    public Batch batch() {
        return new ForwardingBatch(store.batch()) {
            @Override
            public boolean put(String sha256, byte[] data, int length) throws IOException {
                return paced(batch.put(sha256, data, length), length);
            }
        };
    }

    /** Paces a put that wrote {@code length} new bytes; passes {@code written} on. */
    private boolean paced(boolean written, int length) throws InterruptedIOException {
        if (written) {
            pace(length);
        }
        return written;
    }

    private synchronized void pace(int length) throws InterruptedIOException {
        bytesWritten += length;
        long dueNanos = startNanos + bytesWritten * 1_000_000_000L / bytesPerSecond;
        long waitNanos = dueNanos - System.nanoTime();
        if (waitNanos > 0) {
            try {
                Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while pacing a copy");
            }
        }
    }

    @Override
    public String toString() {
        return store + " at most " + bytesPerSecond + " B/s";
    }
}
