package io.imagehub.blob;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A view of a store that times every operation and counts its errors and the bytes it moves, tagged by store and
 * operation (distribution's {@code driver/base} does the same for its storage drivers). The view has the store's
 * identity and closes it.
 */
public final class MeteredChunkStore extends ForwardingChunkStore implements AutoCloseable {
    private final MeterRegistry registry;
    private final String storeTag;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();
    private final Counter bytesWritten;
    private final Counter bytesRead;

    public MeteredChunkStore(ChunkStore store, String name, MeterRegistry registry) {
        super(store);
        this.registry = registry;
        this.storeTag = name;
        this.bytesWritten = Counter.builder("imagehub.chunkstore.bytes").tag("store", name).tag("direction", "written")
                .baseUnit("bytes").description("Chunk bytes newly written to or read from the store")
                .register(registry);
        this.bytesRead = Counter.builder("imagehub.chunkstore.bytes").tag("store", name).tag("direction", "read")
                .baseUnit("bytes").register(registry);
    }

    @FunctionalInterface
    private interface Operation<T> {
        T run() throws IOException;
    }

    private <T> T timed(String operation, Operation<T> work) throws IOException {
        long start = System.nanoTime();
        try {
            return work.run();
        } catch (IOException | RuntimeException e) {
            if (!(e instanceof ChunkNotFoundException)) {
                errors.computeIfAbsent(operation, op -> Counter.builder("imagehub.chunkstore.errors")
                        .tag("store", storeTag).tag("operation", op)
                        .description("Chunk store operations that failed").register(registry)).increment();
            }
            throw e;
        } finally {
            timers.computeIfAbsent(operation, op -> Timer.builder("imagehub.chunkstore.operations")
                    .tag("store", storeTag).tag("operation", op).description("Chunk store operations")
                    .publishPercentileHistogram().register(registry)).record(System.nanoTime() - start,
                    java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public boolean put(String sha256, byte[] data, int length) throws IOException {
        return counted(length, () -> store.put(sha256, data, length));
    }

    private boolean counted(int length, Operation<Boolean> put) throws IOException {
        boolean written = timed("put", put);
        if (written) {
            bytesWritten.increment(length);
        }
        return written;
    }

    /** Batch puts are timed and counted as puts; the flush has its own timer. */
    @Override
    public Batch batch() {
        return new ForwardingBatch(store.batch()) {
            @Override
            public boolean put(String sha256, byte[] data, int length) throws IOException {
                return counted(length, () -> batch.put(sha256, data, length));
            }

            @Override
            public void flush() throws IOException {
                timed("flush", () -> {
                    batch.flush();
                    return null;
                });
            }
        };
    }

    @Override
    public byte[] get(String sha256) throws IOException {
        return read(() -> store.get(sha256));
    }

    @Override
    public byte[] getForCopy(String sha256) throws IOException {
        return read(() -> store.getForCopy(sha256));
    }

    private byte[] read(Operation<byte[]> get) throws IOException {
        byte[] chunk = timed("get", get);
        bytesRead.increment(chunk.length);
        return chunk;
    }

    @Override
    public boolean contains(String sha256) throws IOException {
        return timed("contains", () -> store.contains(sha256));
    }

    @Override
    public boolean refresh(String sha256) throws IOException {
        return timed("refresh", () -> store.refresh(sha256));
    }

    @Override
    public void delete(String sha256) throws IOException {
        timed("delete", () -> {
            store.delete(sha256);
            return null;
        });
    }

    @Override
    public void close() throws Exception {
        if (store instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    @Override
    public String toString() {
        return store.toString();
    }
}
