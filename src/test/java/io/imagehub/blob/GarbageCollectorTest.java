package io.imagehub.blob;

import static org.assertj.core.api.Assertions.assertThat;

import com.tencentcloudapi.cvm.v20170312.CvmClient;
import com.tencentcloudapi.cvm.v20170312.models.DeleteImagesRequest;
import io.imagehub.api.Tc3Signer;
import io.imagehub.it.FileServer;
import io.imagehub.it.ImageBytes;
import io.imagehub.it.Images;
import io.imagehub.it.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mark and sweep: what is collected, what is kept, and why (docs/adr/0005-garbage-collection.md). */
class GarbageCollectorTest {
    private static final Duration GRACE = Duration.ofHours(1);
    private static final int CHUNK = ChunkedImageWriter.DEFAULT_CHUNK_SIZE;

    @TempDir
    Path dir;
    private DirectoryChunkStore store;
    private final Set<String> referenced = new HashSet<>();
    private Instant writersActiveSince;

    @BeforeEach
    void open() throws IOException {
        store = new DirectoryChunkStore(dir);
    }

    @Test
    void deletesOldUnreferencedChunksAndKeepsReferencedOnes() throws IOException {
        String live = putAged("live", Duration.ofHours(2));
        String orphan = putAged("orphan", Duration.ofHours(2));
        referenced.add(live);

        GarbageCollector.Result result = collector().run();

        assertThat(store.contains(live)).isTrue();
        assertThat(store.contains(orphan)).isFalse();
        assertThat(result.chunksDeleted()).isEqualTo(1);
    }

    @Test
    void aHoldKeepsCollectionFromRunningUntilItIsClosed() throws Exception {
        String orphan = putAged("unreferenced since a backup's snapshot", Duration.ofHours(2));
        GarbageCollector collector = collector();
        Thread run;
        try (GarbageCollector.Hold hold = collector.hold()) {
            run = Thread.ofPlatform().start(() -> {
                try {
                    collector.run();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            while (run.getState() != Thread.State.WAITING) { // parked on the hold
                assertThat(run.isAlive()).as("the collection waits for the hold").isTrue();
                Thread.sleep(5);
            }
            assertThat(store.contains(orphan)).isTrue();
        }
        run.join();
        assertThat(store.contains(orphan)).isFalse();
    }

    @Test
    void keepsAnUnreferencedChunkWrittenWithinTheGracePeriod() throws IOException {
        String young = putAged("young", Duration.ofMinutes(10));

        collector().run();

        assertThat(store.contains(young)).isTrue();
    }

    @Test
    void keepsChunksWrittenSinceTheOldestJobStillUnderWay() throws IOException {
        String inFlight = putAged("written by a long import", Duration.ofHours(2));
        writersActiveSince = Instant.now().minus(Duration.ofHours(3));

        collector().run();

        assertThat(store.contains(inFlight)).isTrue();
    }

    @Test
    void aWriterThatReusesAnOldChunkRenewsItsAge() throws IOException {
        String reused = putAged("reused", Duration.ofHours(2));
        byte[] data = bytes("reused");
        assertThat(store.put(reused, data, data.length)).isFalse();

        collector().run();

        assertThat(store.contains(reused)).isTrue();
    }

    @Test
    void removesTemporaryFilesOfCrashedPutsOlderThanTheGracePeriod() throws IOException {
        Path crashed = Files.writeString(dir.resolve(DirectoryChunkStore.TEMP_PREFIX + "crashed"), "half a chunk");
        Files.setLastModifiedTime(crashed, FileTime.from(Instant.now().minus(Duration.ofHours(2))));

        assertThat(collector().run().tempFilesRemoved()).isEqualTo(1);
        assertThat(crashed).doesNotExist();
    }

    @Test
    void keepsTheTemporaryFilesOfABatchStillUnderWayHoweverOld() throws IOException {
        Path unflushed = Files.writeString(dir.resolve(DirectoryChunkStore.TEMP_PREFIX + "unflushed"), "a chunk");
        Files.setLastModifiedTime(unflushed, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        writersActiveSince = Instant.now().minus(Duration.ofHours(3)); // an import running for three hours

        assertThat(collector().run().tempFilesRemoved()).isZero();
        assertThat(unflushed).exists();
    }

    /**
     * End to end: a deleted image's chunks go, a failed import publishes none (its batch is abandoned: nothing is left
     * to collect), a live image's and the public images' stay.
     */
    @Test
    void collectsTheChunksOfDeletedImagesAndFailedImportsOnARealNode() throws Exception {
        try (FileServer files = new FileServer(); TestServer server = TestServer.importingFrom(files, c -> {
            c.importAllow.add(files.brokenBaseUrl());
            c.gcGraceSeconds = 60;
        })) {
            TestServer.Account alice = server.createAccount("gc");
            CvmClient gz = server.client(alice, "ap-guangzhou");
            byte[] kept = ImageBytes.disk(2 * CHUNK, 11);
            byte[] deleted = ImageBytes.disk(2 * CHUNK, 12);
            byte[] failed = ImageBytes.disk(4 * CHUNK, 13);
            Images.importReady(gz, files.put("kept.raw", kept), "kept");
            String gone = Images.importReady(gz, files.put("deleted.raw", deleted), "deleted");
            files.put("failed.raw", failed);
            assertThat(Images.awaitSettled(gz, Images.importImage(gz, files.truncatedUrl("failed.raw"), "failed"))
                    .getImageState()).isEqualTo("IMPORTFAILED");
            DeleteImagesRequest delete = new DeleteImagesRequest();
            delete.setImageIds(new String[] {gone});
            gz.DeleteImages(delete);
            ChunkStore blobs = server.node().chunkStores().forRegion("ap-guangzhou");
            assertThat(blobs.contains(chunkOf(failed, 0))).as("the failed import published no chunk").isFalse();
            ageEveryChunk(server.dataDir().resolve("blobs"), Duration.ofMinutes(5));
            Set<String> publicChunks = new HashSet<>();
            blobs.forEach(publicChunks::add);
            chunksOf(kept).forEach(publicChunks::remove);
            chunksOf(deleted).forEach(publicChunks::remove);
            publicChunks.remove(chunkOf(failed, 0));
            publicChunks.remove(chunkOf(failed, 1));

            server.node().garbageCollector().run();

            for (String chunk : chunksOf(kept)) {
                assertThat(blobs.contains(chunk)).isTrue();
            }
            for (String chunk : chunksOf(deleted)) {
                assertThat(blobs.contains(chunk)).isFalse();
            }
            assertThat(blobs.contains(chunkOf(failed, 0))).isFalse();
            for (String chunk : publicChunks) {
                assertThat(blobs.contains(chunk)).as("public image chunk").isTrue();
            }
        }
    }

    private GarbageCollector collector() {
        return new GarbageCollector(() -> List.of(store), new GarbageCollector.References() {
            @Override
            public Instant writersActiveSince() {
                return writersActiveSince;
            }

            @Override
            public Set<String> referencedChunks() {
                return referenced;
            }
        }, GRACE, Clock.systemUTC());
    }

    private String putAged(String content, Duration age) throws IOException {
        byte[] data = bytes(content);
        String sha256 = Sha256.of(data, data.length);
        store.put(sha256, data, data.length);
        Files.setLastModifiedTime(store.pathOf(sha256), FileTime.from(Instant.now().minus(age)));
        return sha256;
    }

    private static byte[] bytes(String content) {
        return content.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static List<String> chunksOf(byte[] disk) {
        return java.util.stream.IntStream.range(0, (disk.length + CHUNK - 1) / CHUNK).mapToObj(i -> chunkOf(disk, i)).toList();
    }

    private static String chunkOf(byte[] disk, int index) {
        int from = index * CHUNK;
        return Tc3Signer.sha256Hex(Arrays.copyOfRange(disk, from, Math.min(disk.length, from + CHUNK)));
    }

    private static void ageEveryChunk(Path root, Duration age) throws IOException {
        FileTime old = FileTime.from(Instant.now().minus(age));
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                Files.setLastModifiedTime(file, old);
            }
        }
    }
}
