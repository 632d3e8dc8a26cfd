package io.imagehub.blob;

import static io.imagehub.blob.ChunkedImageWriter.DEFAULT_CHUNK_SIZE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagehub.blob.ChunkedImageWriter.CopyResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer and the reader together: chunking, dedup, copying between stores and verification on read. */
class ChunkedImageWriterTest {

    private static final int IMAGE_SIZE = 10 * 1024 * 1024 + 123;
    private static final LongConsumer NO_PROGRESS = done -> { };

    @TempDir
    Path tempDir;

    private DirectoryChunkStore store;
    private byte[] image;

    @BeforeEach
    void setUp() throws IOException {
        store = new DirectoryChunkStore(tempDir.resolve("store"));
        image = new byte[IMAGE_SIZE];
        new Random(2024).nextBytes(image);
    }

    private Manifest write(byte[] bytes, ChunkStore target) throws IOException {
        return ChunkedImageWriter.write(new ByteArrayInputStream(bytes), target, DEFAULT_CHUNK_SIZE, NO_PROGRESS);
    }

    private static byte[] read(Manifest manifest, ChunkStore source) throws IOException {
        try (InputStream in = ChunkedImageReader.open(manifest, source)) {
            return in.readAllBytes();
        }
    }

    @Test
    void imageRoundTripsThroughFixedSizeChunks() throws Exception {
        List<Long> progress = new ArrayList<>();

        Manifest manifest = ChunkedImageWriter.write(
                new ByteArrayInputStream(image), store, DEFAULT_CHUNK_SIZE, progress::add);

        assertThat(manifest.size()).isEqualTo(IMAGE_SIZE);
        assertThat(manifest.sha256())
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(image)));
        assertThat(manifest.chunks()).hasSize(3).doesNotHaveDuplicates();
        assertThat(store.get(manifest.chunks().get(2))).hasSize(123 + 2 * 1024 * 1024);
        assertThat(progress).containsExactly(4L << 20, 8L << 20, (long) IMAGE_SIZE);
        assertThat(store.chunksWritten()).isEqualTo(3);
        assertThat(read(manifest, store)).isEqualTo(image);
    }

    @Test
    void emptyImageHasNoChunks() throws Exception {
        Manifest manifest = write(new byte[0], store);

        assertThat(manifest.chunks()).isEmpty();
        assertThat(manifest.size()).isZero();
        assertThat(manifest.sha256()).isEqualTo(ChunkStoreConformanceTest.sha256(new byte[0]));
        assertThat(read(manifest, store)).isEmpty();
    }

    @Test
    void repeatedChunksAreStoredOnce() throws Exception {
        byte[] zeroes = new byte[3 * DEFAULT_CHUNK_SIZE];

        Manifest manifest = write(zeroes, store);

        assertThat(manifest.chunks()).hasSize(3).containsOnly(manifest.chunks().get(0));
        assertThat(store.chunksWritten()).isEqualTo(1);
        assertThat(read(manifest, store)).isEqualTo(zeroes);
    }

    @Test
    void singleByteReadsReturnTheSameBytes() throws Exception {
        byte[] small = Arrays.copyOf(image, 2500);
        Manifest manifest = ChunkedImageWriter.write(new ByteArrayInputStream(small), store, 1000, NO_PROGRESS);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        try (InputStream in = ChunkedImageReader.open(manifest, store)) {
            for (int b = in.read(); b != -1; b = in.read()) {
                out.write(b);
            }
        }

        assertThat(manifest.chunks()).hasSize(3);
        assertThat(out.toByteArray()).isEqualTo(small);
    }

    @Test
    void rewritingWithOneChunkChangedStoresOnlyThatChunk() throws Exception {
        Manifest original = write(image, store);
        byte[] edited = image.clone();
        Arrays.fill(edited, DEFAULT_CHUNK_SIZE + 1000, 2 * DEFAULT_CHUNK_SIZE - 1000, (byte) 0x5a);

        Manifest rewritten = write(edited, store);

        assertThat(store.chunksWritten()).isEqualTo(3 + 1);
        assertThat(rewritten.chunks().get(0)).isEqualTo(original.chunks().get(0));
        assertThat(rewritten.chunks().get(1)).isNotEqualTo(original.chunks().get(1));
        assertThat(rewritten.chunks().get(2)).isEqualTo(original.chunks().get(2));
        assertThat(read(rewritten, store)).isEqualTo(edited);
        assertThat(read(original, store)).isEqualTo(image);
    }

    @Test
    void copyTransfersOnlyTheChunksTheTargetLacks() throws Exception {
        Manifest manifest = write(image, store);
        DirectoryChunkStore target = new DirectoryChunkStore(tempDir.resolve("target"));
        List<Long> progress = new ArrayList<>();

        CopyResult first = ChunkedImageWriter.copy(manifest, store, target, progress::add);
        CopyResult second = ChunkedImageWriter.copy(manifest, store, target, NO_PROGRESS);

        assertThat(first).isEqualTo(new CopyResult(manifest, 3, IMAGE_SIZE));
        assertThat(progress).containsExactly(1L, 2L, 3L);
        assertThat(second).isEqualTo(new CopyResult(manifest, 0, 0));
        assertThat(target.chunksWritten()).isEqualTo(3);
        assertThat(read(manifest, target)).isEqualTo(image);
    }

    @Test
    void copyOfAPartlyPresentImageTransfersTheRest() throws Exception {
        Manifest manifest = write(image, store);
        DirectoryChunkStore target = new DirectoryChunkStore(tempDir.resolve("target"));
        byte[] firstChunk = store.get(manifest.chunks().get(0));
        target.put(manifest.chunks().get(0), firstChunk, firstChunk.length);

        CopyResult result = ChunkedImageWriter.copy(manifest, store, target, NO_PROGRESS);

        assertThat(result.chunksCopied()).isEqualTo(2);
        assertThat(result.bytesCopied()).isEqualTo(IMAGE_SIZE - DEFAULT_CHUNK_SIZE);
        assertThat(read(manifest, target)).isEqualTo(image);
    }

    @Test
    void copyBetweenStoresWithTheSameIdTouchesNoChunk() throws Exception {
        Manifest manifest = write(image, store);
        List<Long> progress = new ArrayList<>();

        CopyResult result = ChunkedImageWriter.copy(
                manifest, idOnly(store.id()), idOnly(store.id()), progress::add);

        assertThat(result).isEqualTo(new CopyResult(manifest, 0, 0));
        assertThat(progress).containsExactly(3L);
    }

    /** A store that fails the test if anything but its id is asked for. */
    private static ChunkStore idOnly(String id) {
        return (ChunkStore) Proxy.newProxyInstance(ChunkStore.class.getClassLoader(), new Class<?>[] {ChunkStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("id")) {
                        return id;
                    }
                    throw new AssertionError("copy between stores with one id called " + method.getName());
                });
    }

    @Test
    void readerDetectsACorruptChunk() throws Exception {
        Manifest manifest = write(image, store);
        Files.write(store.pathOf(manifest.chunks().get(1)), new byte[DEFAULT_CHUNK_SIZE]);

        assertThatThrownBy(() -> read(manifest, store))
                .isInstanceOf(CorruptChunkException.class)
                .hasMessageContaining(manifest.chunks().get(1));
    }

    @Test
    void readerRejectsAManifestWhoseImageDigestDoesNotMatch() throws Exception {
        Manifest manifest = write(image, store);
        Manifest wrongDigest = new Manifest(manifest.chunks(), manifest.size(), ChunkStoreConformanceTest.sha256(new byte[1]));

        assertThatThrownBy(() -> read(wrongDigest, store))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(wrongDigest.sha256());
    }

    @Test
    void readerRejectsAManifestWhoseSizeDoesNotMatch() throws Exception {
        Manifest manifest = write(image, store);
        Manifest wrongSize = new Manifest(manifest.chunks(), manifest.size() + 1, manifest.sha256());

        assertThatThrownBy(() -> read(wrongSize, store))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(String.valueOf(wrongSize.size()));
    }
}
