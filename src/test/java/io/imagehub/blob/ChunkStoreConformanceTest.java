package io.imagehub.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link ChunkStore} adapter must have; each adapter's test extends this class. */
abstract class ChunkStoreConformanceTest {

    protected ChunkStore store;

    /** A new, empty store; called before each test. */
    protected abstract ChunkStore createStore() throws Exception;

    /** Another instance on the same storage as {@link #store}. */
    protected abstract ChunkStore reopen() throws Exception;

    /** Replaces the stored bytes of the chunk behind the store's back. */
    protected abstract void corrupt(String sha256) throws Exception;

    /** Whether racing puts of one new chunk are guaranteed to report it as newly written exactly once. */
    protected boolean countsRacingPutsOnce() {
        return true;
    }

    @BeforeEach
    void setUpStore() throws Exception {
        store = createStore();
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] randomBytes(int length, long seed) {
        byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        return data;
    }

    static String sha256(byte[] data) {
        return Sha256.of(data, data.length);
    }

    /** Puts the whole array and returns its digest. */
    String put(byte[] data) throws Exception {
        String sha256 = sha256(data);
        store.put(sha256, data, data.length);
        return sha256;
    }

    @Test
    void getReturnsWhatPutStored() throws Exception {
        byte[] data = bytes("hello, chunk");
        String sha256 = sha256(data);

        assertThat(store.put(sha256, data, data.length)).isTrue();

        assertThat(store.get(sha256)).isEqualTo(data);
        assertThat(store.contains(sha256)).isTrue();
        assertThat(store.chunksWritten()).isEqualTo(1);
    }

    @Test
    void putStoresOnlyTheFirstLengthBytes() throws Exception {
        byte[] buffer = bytes("chunk|stale bytes of the previous chunk");
        int length = "chunk".length();
        String sha256 = Sha256.of(buffer, length);

        store.put(sha256, buffer, length);

        assertThat(store.get(sha256)).isEqualTo(bytes("chunk"));
    }

    @Test
    void secondPutOfAChunkReturnsFalseAndIsNotCounted() throws Exception {
        byte[] data = bytes("twice");
        String sha256 = sha256(data);

        assertThat(store.put(sha256, data, data.length)).isTrue();
        assertThat(store.put(sha256, data, data.length)).isFalse();

        assertThat(store.chunksWritten()).isEqualTo(1);
        assertThat(store.get(sha256)).isEqualTo(data);
    }

    @Test
    void missingChunkIsNotFound() throws Exception {
        String sha256 = sha256(bytes("never stored"));

        assertThat(store.contains(sha256)).isFalse();
        assertThatThrownBy(() -> store.get(sha256))
                .isInstanceOf(ChunkNotFoundException.class)
                .hasMessageContaining(sha256);
    }

    @Test
    void corruptedChunkIsDetectedOnGet() throws Exception {
        String sha256 = put(bytes("precious"));

        corrupt(sha256);

        assertThatThrownBy(() -> store.get(sha256))
                .isInstanceOf(CorruptChunkException.class)
                .hasMessageContaining(sha256);
    }

    @Test
    void deleteRemovesOnlyThatChunkAndToleratesMissingChunks() throws Exception {
        String doomed = put(bytes("doomed"));
        String kept = put(bytes("kept"));

        store.delete(doomed);
        store.delete(doomed);

        assertThat(store.contains(doomed)).isFalse();
        assertThatThrownBy(() -> store.get(doomed)).isInstanceOf(ChunkNotFoundException.class);
        assertThat(store.get(kept)).isEqualTo(bytes("kept"));
    }

    @Test
    void chunkCanBeStoredAgainAfterDelete() throws Exception {
        byte[] data = bytes("phoenix");
        String sha256 = put(data);
        store.delete(sha256);

        assertThat(store.put(sha256, data, data.length)).isTrue();
        assertThat(store.get(sha256)).isEqualTo(data);
    }

    @Test
    void forEachListsExactlyTheStoredDigests() throws Exception {
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            expected.add(put(bytes("chunk " + i)));
        }
        String deleted = put(bytes("deleted"));
        store.delete(deleted);

        List<String> listed = new ArrayList<>();
        store.forEach(listed::add);

        assertThat(listed).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void forEachOfEmptyStoreListsNothing() throws Exception {
        List<String> listed = new ArrayList<>();
        store.forEach(listed::add);

        assertThat(listed).isEmpty();
    }

    @Test
    void defaultSizeChunkRoundTrips() throws Exception {
        byte[] data = randomBytes(ChunkedImageWriter.DEFAULT_CHUNK_SIZE, 42);

        String sha256 = put(data);

        assertThat(store.get(sha256)).isEqualTo(data);
    }

    @Test
    void racingPutsOfOneChunkAllSucceedAndLeaveItIntact() throws Exception {
        int writers = 8;
        byte[] data = randomBytes(64 * 1024, 7);
        String sha256 = sha256(data);
        CyclicBarrier start = new CyclicBarrier(writers);
        List<Future<Boolean>> results = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            for (int i = 0; i < writers; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return store.put(sha256, data, data.length);
                }));
            }
            int newlyWritten = 0;
            for (Future<Boolean> result : results) {
                newlyWritten += result.get() ? 1 : 0; // get() rethrows any writer's failure
            }

            assertThat(store.get(sha256)).isEqualTo(data);
            assertThat(store.chunksWritten()).isEqualTo(newlyWritten);
            if (countsRacingPutsOnce()) {
                assertThat(newlyWritten).isEqualTo(1);
            } else {
                assertThat(newlyWritten).isBetween(1, writers);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void lastModifiedIsKnownForStoredChunksOnly() throws Exception {
        Instant before = Instant.now().minusSeconds(5); // S3 servers keep whole seconds
        String stored = put(bytes("dated"));

        assertThat(store.lastModified(stored)).isAfter(before).isBefore(Instant.now().plusSeconds(5));
        assertThat(store.lastModified(sha256(bytes("never stored")))).isNull();
    }

    @Test
    void refreshTellsWhetherAChunkIsStoredAndKeepsItsBytes() throws Exception {
        byte[] data = bytes("refreshed");
        String stored = put(data);

        assertThat(store.refresh(stored)).isTrue();
        assertThat(store.refresh(sha256(bytes("absent")))).isFalse();
        assertThat(store.get(stored)).isEqualTo(data);
        assertThat(store.contains(sha256(bytes("absent")))).isFalse();
    }

    @Test
    void digestsThatAreNotLowerCaseHexSha256AreRejected() {
        byte[] data = bytes("x");
        String upperCase = sha256(data).toUpperCase();

        assertThatThrownBy(() -> store.put("../../escape", data, data.length))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.put(upperCase, data, data.length))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.get("abc")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anotherInstanceOnTheSameStorageHasTheSameIdAndChunks() throws Exception {
        byte[] data = bytes("shared");
        String sha256 = put(data);

        ChunkStore other = reopen();

        assertThat(other.id()).isEqualTo(store.id());
        assertThat(other.get(sha256)).isEqualTo(data);
        assertThat(other.put(sha256, data, data.length)).isFalse();
    }

    @Test
    void aFlushedBatchIsReadableFromAnotherInstance() throws Exception {
        List<byte[]> chunks = List.of(bytes("first of the batch"), randomBytes(ChunkedImageWriter.DEFAULT_CHUNK_SIZE, 3),
                bytes("last of the batch"));
        try (ChunkStore.Batch batch = store.batch()) {
            for (byte[] chunk : chunks) {
                assertThat(batch.put(sha256(chunk), chunk, chunk.length)).isTrue();
            }
            batch.flush();
        }

        ChunkStore other = reopen();
        for (byte[] chunk : chunks) {
            assertThat(other.get(sha256(chunk))).isEqualTo(chunk);
            assertThat(other.contains(sha256(chunk))).isTrue();
        }
        assertThat(store.chunksWritten()).isEqualTo(chunks.size());
    }

    @Test
    void aBatchWritesEachChunkOnceAndNotOneThatIsStored() throws Exception {
        byte[] stored = bytes("stored before the batch");
        String storedSha256 = put(stored);
        byte[] twice = bytes("put twice into the batch");
        try (ChunkStore.Batch batch = store.batch()) {
            assertThat(batch.put(storedSha256, stored, stored.length)).isFalse();
            assertThat(batch.put(sha256(twice), twice, twice.length)).isTrue();
            assertThat(batch.put(sha256(twice), twice, twice.length)).isFalse();
            batch.flush();
        }

        assertThat(store.chunksWritten()).isEqualTo(2);
        assertThat(reopen().get(sha256(twice))).isEqualTo(twice);
    }

    @Test
    void aBatchTakesPutsFromSeveralThreadsAndItsBuffersMayBeReusedAfterEachPut() throws Exception {
        int threads = 4;
        int perThread = 8;
        Set<String> expected = java.util.concurrent.ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (ChunkStore.Batch batch = store.batch()) {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                writers.add(pool.submit(() -> {
                    byte[] buffer = new byte[64 * 1024];
                    for (int i = 0; i < perThread; i++) {
                        new Random(thread * 100L + i).nextBytes(buffer); // the previous chunk's bytes are overwritten
                        String sha256 = Sha256.of(buffer, buffer.length);
                        batch.put(sha256, buffer, buffer.length);
                        expected.add(sha256);
                    }
                    return null;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get();
            }
            batch.flush();
        } finally {
            pool.shutdownNow();
        }

        ChunkStore other = reopen();
        for (String sha256 : expected) {
            assertThat(other.get(sha256)).hasSize(64 * 1024); // get verifies the bytes against their key
        }
        assertThat(expected).hasSize(threads * perThread);
    }

    @Test
    void racingBatchesOfOneChunkBothFlushAndLeaveItIntact() throws Exception {
        byte[] data = randomBytes(64 * 1024, 11);
        String sha256 = sha256(data);
        ChunkStore other = reopen();
        try (ChunkStore.Batch first = store.batch(); ChunkStore.Batch second = other.batch()) {
            first.put(sha256, data, data.length);
            second.put(sha256, data, data.length);
            second.flush();
            first.flush();
        }

        assertThat(reopen().get(sha256)).isEqualTo(data);
    }

    @Test
    void aBatchClosedWithoutFlushLeavesNoTornChunk() throws Exception {
        byte[] data = randomBytes(64 * 1024, 12);
        String sha256 = sha256(data);
        try (ChunkStore.Batch batch = store.batch()) {
            batch.put(sha256, data, data.length);
        }

        ChunkStore other = reopen();
        if (other.contains(sha256)) { // a store whose puts are durable at once keeps it, whole
            assertThat(other.get(sha256)).isEqualTo(data);
        } else {
            assertThatThrownBy(() -> other.get(sha256)).isInstanceOf(ChunkNotFoundException.class);
        }
    }

    @Test
    void aTrustedStoreGivesCopiesTheStoredBytesAndAnyOtherVerifiesThem() throws Exception {
        String sha256 = put(bytes("copied out"));
        assertThat(store.getForCopy(sha256)).isEqualTo(bytes("copied out"));

        corrupt(sha256);

        if (store.trusted()) {
            assertThat(store.getForCopy(sha256)).as("not hashed again").isNotEqualTo(bytes("copied out"));
        } else {
            assertThatThrownBy(() -> store.getForCopy(sha256)).isInstanceOf(CorruptChunkException.class);
        }
        assertThatThrownBy(() -> store.get(sha256)).as("every other read verifies").isInstanceOf(CorruptChunkException.class);
    }

    @Test
    void differentStoragesHaveDifferentIds() throws Exception {
        assertThat(createStore().id()).isNotEqualTo(store.id());
    }
}
