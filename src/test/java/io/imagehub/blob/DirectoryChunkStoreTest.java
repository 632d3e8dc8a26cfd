package io.imagehub.blob;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryChunkStoreTest extends ChunkStoreConformanceTest {

    @TempDir
    Path tempDir;

    private Path root;
    private int storesCreated;

    @Override
    protected ChunkStore createStore() throws Exception {
        root = tempDir.resolve("store-" + storesCreated++);
        return new DirectoryChunkStore(root);
    }

    @Override
    protected ChunkStore reopen() throws Exception {
        return new DirectoryChunkStore(root);
    }

    @Override
    protected void corrupt(String sha256) throws Exception {
        Files.write(((DirectoryChunkStore) store).pathOf(sha256), bytes("bit rot"));
    }

    private DirectoryChunkStore directoryStore() {
        return (DirectoryChunkStore) store;
    }

    @Test
    void chunkIsAFileFannedOutByItsFirstFourHexDigits() throws Exception {
        String sha256 = put(bytes("where am I"));

        Path expected = root.resolve(sha256.substring(0, 2)).resolve(sha256.substring(2, 4)).resolve(sha256);
        assertThat(expected).hasBinaryContent(bytes("where am I"));
    }

    @Test
    void idIsTheRealPathOfTheRoot() throws Exception {
        Path link = Files.createSymbolicLink(tempDir.resolve("link"), root);

        assertThat(store.id()).isEqualTo("dir:" + root.toRealPath());
        assertThat(new DirectoryChunkStore(link).id()).isEqualTo(store.id());
        assertThat(new DirectoryChunkStore(root.resolve(".")).id()).isEqualTo(store.id());
    }

    @Test
    void storeThroughASymlinkedRootListsItsChunks() throws Exception {
        String sha256 = put(bytes("behind a link"));
        DirectoryChunkStore viaLink = new DirectoryChunkStore(Files.createSymbolicLink(tempDir.resolve("link"), root));

        List<String> listed = new ArrayList<>();
        viaLink.forEach(listed::add);

        assertThat(listed).containsExactly(sha256);
    }

    @Test
    void forEachIgnoresTemporaryFiles() throws Exception {
        String sha256 = put(bytes("real"));
        Path crashedPut = leftoverTempFile(sha256, Duration.ZERO);

        List<String> listed = new ArrayList<>();
        store.forEach(listed::add);

        assertThat(crashedPut).exists();
        assertThat(listed).containsExactly(sha256);
    }

    @Test
    void staleTemporaryFilesAreRemovedAndRecentOnesKept() throws Exception {
        String sha256 = put(bytes("survivor"));
        Path stale = leftoverTempFile(sha256, Duration.ofHours(2));
        Path recent = leftoverTempFile(sha256, Duration.ZERO);

        int removed = directoryStore().removeTempFilesOlderThan(Instant.now().minus(Duration.ofHours(1)));

        assertThat(removed).isEqualTo(1);
        assertThat(stale).doesNotExist();
        assertThat(recent).exists();
        assertThat(store.get(sha256)).isEqualTo(bytes("survivor"));
    }

    @Test
    void anUnflushedBatchIsInvisibleAndClosingItRemovesItsTemporaryFiles() throws Exception {
        byte[] data = bytes("not yet flushed");
        String sha256 = sha256(data);
        try (ChunkStore.Batch batch = store.batch()) {
            batch.put(sha256, data, data.length);

            assertThat(store.contains(sha256)).isFalse();
            assertThat(reopen().contains(sha256)).isFalse();
        }

        assertThat(store.contains(sha256)).isFalse();
        try (var files = Files.walk(root)) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void successfulPutLeavesNoTemporaryFile() throws Exception {
        String sha256 = put(bytes("tidy"));

        try (var files = Files.list(directoryStore().pathOf(sha256).getParent())) {
            assertThat(files).containsExactly(directoryStore().pathOf(sha256));
        }
    }

    /** A temporary file as a put that crashed would leave it, next to {@code sha256}'s chunk. */
    private Path leftoverTempFile(String sha256, Duration age) throws Exception {
        Path dir = directoryStore().pathOf(sha256).getParent();
        Path temp = Files.createTempFile(dir, DirectoryChunkStore.TEMP_PREFIX, "");
        Files.write(temp, bytes("half a chu"));
        Files.setLastModifiedTime(temp, FileTime.from(Instant.now().minus(age)));
        return temp;
    }
}
