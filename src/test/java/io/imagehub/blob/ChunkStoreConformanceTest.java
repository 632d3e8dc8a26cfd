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
    void differentStoragesHaveDifferentIds() throws Exception {
        assertThat(createStore().id()).isNotEqualTo(store.id());
    }
}
