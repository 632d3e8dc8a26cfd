package io.imagehub.blob;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Splits images into fixed-size chunks in a {@link ChunkStore}, and copies them between stores.
 *
 * <p>Both run a few chunks at once (see docs/performance.md (data plane)), into one {@link ChunkStore.Batch} flushed
 * once at the end (docs/adr/0014-data-plane-flush.md). A write's reading thread only reads: the image digest is
 * computed on a thread of its own, in image order, and each chunk's key on a chunk thread, so the two SHA-256 passes
 * over every byte run on different cores, and each reads the chunk buffer the stream was read into (no copy).
 * Progress is still reported in image order, on the calling thread, and counts only chunks that are stored.
 */
public final class ChunkedImageWriter {

    /** 4 MiB: see docs/adr/0002-chunking.md. */
    public static final int DEFAULT_CHUNK_SIZE = 4 * 1024 * 1024;
    /** Chunks stored concurrently by one write or copy (each holds a chunk buffer): hides object stores' round trips. */
    static final int CHUNKS_IN_FLIGHT = 8;

    /** What {@link #copy} did: the manifest, now readable from the target, and what it had to transfer. */
    public record CopyResult(Manifest manifest, int chunksCopied, long bytesCopied) {
    }

    private ChunkedImageWriter() {
    }

    /** {@link #write(InputStream, ChunkStore.Batch, int, LongConsumer)} into a batch of its own, flushed at the end. */
    public static Manifest write(InputStream in, ChunkStore store, int chunkSize, LongConsumer progress)
            throws IOException {
        try (ChunkStore.Batch batch = store.batch()) {
            Manifest manifest = write(in, batch, chunkSize, progress);
            batch.flush();
            return manifest;
        }
    }

    /**
     * Reads {@code in} to its end, putting every {@code chunkSize} bytes (the last chunk may be shorter) into
     * {@code batch} as a chunk; the caller flushes the batch before it commits the manifest. {@code progress}
     * receives the number of bytes stored so far, in order, after each chunk.
     */
    public static Manifest write(InputStream in, ChunkStore.Batch batch, int chunkSize, LongConsumer progress)
            throws IOException {
        if (chunkSize <= 0) {
            throw new IllegalArgumentException("chunk size must be positive: " + chunkSize);
        }
        BlockingQueue<byte[]> freeBuffers = new ArrayBlockingQueue<>(CHUNKS_IN_FLIGHT + 1);
        MessageDigest imageDigest = Sha256.newDigest();
        // disk images repeat chunks (zeroed blocks above all): ask the store about each digest only once
        Set<String> stored = ConcurrentHashMap.newKeySet();
        try (InFlight<StoredChunk> inFlight = new InFlight<>();
             ImageDigest digest = new ImageDigest(imageDigest)) {
            List<String> chunks = new ArrayList<>();
            long[] storedBytes = {0};
            Done<StoredChunk> report = chunk -> {
                chunks.add(chunk.sha256());
                storedBytes[0] += chunk.length();
                progress.accept(storedBytes[0]);
            };
            long size = 0;
            int buffers = 0;
            while (true) {
                byte[] buffer = freeBuffers.poll();
                if (buffer == null && buffers <= CHUNKS_IN_FLIGHT) {
                    buffer = new byte[chunkSize];
                    buffers++;
                } else if (buffer == null) {
                    buffer = inFlight.awaitFreeBuffer(freeBuffers);
                }
                int length = in.readNBytes(buffer, 0, chunkSize);
                if (length <= 0) {
                    break;
                }
                size += length;
                byte[] data = buffer;
                // the buffer is free again once both the image digest and the chunk's task are done with it
                AtomicInteger users = new AtomicInteger(2);
                Runnable release = () -> {
                    if (users.decrementAndGet() == 0) {
                        freeBuffers.add(data);
                    }
                };
                digest.update(data, length, release);
                inFlight.submit(() -> {
                    try {
                        String sha256 = Sha256.of(data, length);
                        if (stored.add(sha256)) {
                            batch.put(sha256, data, length);
                        }
                        return new StoredChunk(sha256, length);
                    } finally {
                        release.run();
                    }
                });
                inFlight.drainDone(report);
            }
            inFlight.drainAll(report);
            return new Manifest(chunks, size, digest.finish());
        }
    }

    private record StoredChunk(String sha256, int length) {
    }

    /** The whole image's SHA-256, fed in image order on a thread of its own. */
    private static final class ImageDigest implements AutoCloseable {
        private final ExecutorService thread = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("imagehub-digest-", 0).daemon().factory());
        private final MessageDigest digest;

        ImageDigest(MessageDigest digest) {
            this.digest = digest;
        }

        void update(byte[] data, int length, Runnable then) {
            thread.execute(() -> {
                try {
                    digest.update(data, 0, length);
                } finally {
                    then.run();
                }
            });
        }

        /** The digest of everything updated so far, once the thread has hashed it. */
        String finish() throws IOException {
            return InFlight.await(thread.submit(() -> Sha256.hex(digest)));
        }

        @Override
        public void close() {
            InFlight.shutDown(thread);
        }
    }

    /**
     * Makes {@code manifest} readable from {@code to} by copying the chunks it lacks from {@code from}, durably: the
     * copied chunks are flushed once, before this returns. {@code progress} receives the number of the manifest's
     * chunks handled so far, copied or not. Chunks the target already holds are refreshed, not copied, so a rerun
     * after a crash moves only what is still missing. Stores with the same {@link ChunkStore#id()} share their
     * chunks, so nothing is copied between them. A {@link ChunkStore#trusted} source's chunks are not hashed again.
     */
    public static CopyResult copy(Manifest manifest, ChunkStore from, ChunkStore to, LongConsumer progress)
            throws IOException {
        if (from.id().equals(to.id())) {
            progress.accept(manifest.chunks().size());
            return new CopyResult(manifest, 0, 0);
        }
        AtomicInteger chunksCopied = new AtomicInteger();
        AtomicLong bytesCopied = new AtomicLong();
        Set<String> distinct = new LinkedHashSet<>(manifest.chunks());
        long[] handled = {0};
        try (InFlight<Void> inFlight = new InFlight<>(); ChunkStore.Batch batch = to.batch()) {
            for (String sha256 : distinct) {
                inFlight.awaitRoom();
                inFlight.submit(() -> {
                    if (!to.refresh(sha256)) {
                        byte[] data = from.getForCopy(sha256);
                        if (batch.put(sha256, data, data.length)) {
                            chunksCopied.incrementAndGet();
                            bytesCopied.addAndGet(data.length);
                        }
                    }
                    return null;
                });
                inFlight.drainDone(done -> progress.accept(++handled[0]));
            }
            inFlight.drainAll(done -> progress.accept(++handled[0]));
            batch.flush();
        }
        if (handled[0] < manifest.chunks().size()) {
            progress.accept(manifest.chunks().size()); // repeated chunks were handled with their first occurrence
        }
        return new CopyResult(manifest, chunksCopied.get(), bytesCopied.get());
    }

    @FunctionalInterface
    private interface ChunkTask<T> {
        T run() throws IOException;
    }

    @FunctionalInterface
    private interface Done<T> {
        void accept(T result) throws IOException;
    }

    /**
     * At most {@link #CHUNKS_IN_FLIGHT} chunk tasks on their own threads, collected in submission order. Closing
     * waits for every task, so no task outlives the call that started it (and its buffer).
     */
    private static final class InFlight<T> implements AutoCloseable {
        private final ExecutorService threads = Executors.newFixedThreadPool(CHUNKS_IN_FLIGHT,
                Thread.ofPlatform().name("imagehub-chunk-", 0).daemon().factory());
        private final Deque<Future<T>> pending = new ArrayDeque<>();

        void submit(ChunkTask<T> task) {
            pending.add(threads.submit(() -> {
                try {
                    return task.run();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
        }

        void awaitRoom() throws IOException {
            if (pending.size() >= CHUNKS_IN_FLIGHT) {
                await(pending.peekFirst());
            }
        }

        byte[] awaitFreeBuffer(BlockingQueue<byte[]> free) throws IOException {
            Future<T> oldest = pending.peekFirst();
            if (oldest != null) {
                await(oldest); // its buffer comes back when it (and the image digest) is done; a failure shows here
            } // else every buffer waits for the image digest only, which always gives it back
            try {
                return free.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for a chunk buffer");
            }
        }

        void drainDone(Done<T> done) throws IOException {
            while (!pending.isEmpty() && pending.peekFirst().isDone()) {
                done.accept(await(pending.pollFirst()));
            }
        }

        void drainAll(Done<T> done) throws IOException {
            while (!pending.isEmpty()) {
                done.accept(await(pending.pollFirst()));
            }
        }

        static <T> T await(Future<T> future) throws IOException {
            try {
                return future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while storing a chunk");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UncheckedIOException io) {
                    throw io.getCause();
                }
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IOException(e.getCause());
            }
        }

        @Override
        public void close() {
            shutDown(threads);
        }

        /** Waits for every task of {@code threads}: a store call still under way must not see its buffer reused. */
        static void shutDown(ExecutorService threads) {
            threads.shutdown();
            try {
                while (!threads.awaitTermination(1, TimeUnit.MINUTES)) {
                    // a store call is still under way (a slow object store)
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
