package io.imagehub.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer stores several chunks at once: order, progress and failures must not notice. */
class ChunkedImageWriterPipelineTest {
    private static final int CHUNK = 1024;

    @TempDir
    Path dir;

    @Test
    void manifestAndProgressFollowImageOrderWhenPutsFinishOutOfOrder() throws Exception {
        byte[] image = randomBytes(20 * CHUNK + 7);
        Store store = new Store(new DirectoryChunkStore(dir), Integer.MAX_VALUE);
        List<Long> progress = new ArrayList<>();

        Manifest manifest = ChunkedImageWriter.write(new ByteArrayInputStream(image), store, CHUNK, progress::add);

        List<String> expected = new ArrayList<>();
        for (int from = 0; from < image.length; from += CHUNK) {
            byte[] chunk = Arrays.copyOfRange(image, from, Math.min(image.length, from + CHUNK));
            expected.add(Sha256.of(chunk, chunk.length));
        }
        assertThat(manifest.chunks()).isEqualTo(expected);
        assertThat(progress).isSorted().hasSize(21).last().isEqualTo((long) image.length);
        assertThat(store.active.get()).isZero();
    }

    @Test
    void theImageDigestFallingBehindTheChunkThreadsOnlyDelaysTheWrite() throws Exception {
        byte[] image = randomBytes(300 * CHUNK);
        // puts that store nothing: the chunk threads race ahead of the one thread hashing the whole image, which
        // then holds every buffer while no chunk task is pending
        ChunkStore instant = new ForwardingChunkStore(new DirectoryChunkStore(dir)) {
            @Override
            public Batch batch() {
                return new ForwardingBatch(store.batch()) {
                    @Override
                    public boolean put(String sha256, byte[] data, int length) {
                        return true;
                    }
                };
            }
        };

        for (int round = 0; round < 20; round++) {
            Manifest manifest = ChunkedImageWriter.write(new ByteArrayInputStream(image), instant, CHUNK, bytes -> { });

            assertThat(manifest.sha256()).isEqualTo(Sha256.of(image, image.length));
        }
    }

    @Test
    void aFailedPutFailsTheWriteAndNoPutOutlivesIt() throws Exception {
        Store store = new Store(new DirectoryChunkStore(dir), 3);

        assertThatThrownBy(() -> ChunkedImageWriter.write(new ByteArrayInputStream(randomBytes(20 * CHUNK)), store,
                CHUNK, bytes -> { })).isInstanceOf(IOException.class).hasMessageContaining("disk full");
        assertThat(store.active.get()).isZero();
        List<String> published = new ArrayList<>();
        store.forEach(published::add);
        assertThat(published).as("the unflushed batch was abandoned").isEmpty();
        try (var files = java.nio.file.Files.walk(dir)) {
            assertThat(files.filter(java.nio.file.Files::isRegularFile)).as("no temporary file left").isEmpty();
        }
    }

    @Test
    void aFailedPutFailsTheCopy() throws Exception {
        DirectoryChunkStore source = new DirectoryChunkStore(dir.resolve("source"));
        Manifest manifest = ChunkedImageWriter.write(new ByteArrayInputStream(randomBytes(20 * CHUNK)), source,
                CHUNK, bytes -> { });
        Store target = new Store(new DirectoryChunkStore(dir.resolve("target")), 3);

        assertThatThrownBy(() -> ChunkedImageWriter.copy(manifest, source, target, chunks -> { }))
                .isInstanceOf(IOException.class).hasMessageContaining("disk full");
        assertThat(target.active.get()).isZero();
    }

    private static byte[] randomBytes(int length) {
        byte[] data = new byte[length];
        new Random(length).nextBytes(data);
        return data;
    }

    /** A store whose puts take a random while (so they finish out of order) and fail from the n-th on. */
    private static final class Store extends ForwardingChunkStore {
        private final int failFrom;
        private final AtomicInteger puts = new AtomicInteger();
        final AtomicInteger active = new AtomicInteger();

        Store(ChunkStore store, int failFrom) {
            super(store);
            this.failFrom = failFrom;
        }

        @Override
        public boolean put(String sha256, byte[] data, int length) throws IOException {
            return slowly(() -> store.put(sha256, data, length));
        }

        @Override
        public Batch batch() {
            return new ForwardingBatch(store.batch()) {
                @Override
                public boolean put(String sha256, byte[] data, int length) throws IOException {
                    return slowly(() -> batch.put(sha256, data, length));
                }
            };
        }

        private interface Put {
            boolean put() throws IOException;
        }

        private boolean slowly(Put put) throws IOException {
            active.incrementAndGet();
            try {
                Thread.sleep(new Random().nextInt(5));
                if (puts.incrementAndGet() >= failFrom) {
                    throw new IOException("disk full");
                }
                return put.put();
            } catch (InterruptedException e) {
                throw new IOException(e);
            } finally {
                active.decrementAndGet();
            }
        }

        @Override
        public String id() {
            return "test:" + store.id();
        }
    }
}
