package io.imagehub.formats;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link FormatInspector} must do; each format's test extends this class with a sample file made by
 * qemu-img at test time (as blob/ChunkStoreConformanceTest does for chunk stores).
 */
abstract class FormatInspectorContract {
    /** A disk of seeded noise, converted into each format: data that every format must map. */
    static final int SAMPLE_DATA_BYTES = 2 << 20;

    @TempDir
    Path dir;

    protected abstract FormatInspector newInspector();

    /** A file of this format holding {@code raw}'s content. */
    protected abstract Path sample(Path raw) throws IOException;

    /** The virtual size {@link #sample} declares. */
    protected abstract long expectedVirtualSize(Path sample) throws IOException;

    /** What a sample of this format says when cut to {@code length} bytes: by default, that it is truncated. */
    protected void assertCutShort(Optional<Inspection> found, int length) {
        assertThat(found).as("cut to %d bytes", length).hasValueSatisfying(i -> assertThat(i.refusals())
                .extracting(Refusal::check).contains(SafetyCheck.TRUNCATED));
    }

    /** The checks a well-made sample fails: none, but for formats that are always refused. */
    protected List<SafetyCheck> expectedRefusals() {
        return List.of();
    }

    /** The refusals the whole inspection (every inspector at once) gives {@code file}, none if it is accepted. */
    static List<SafetyCheck> refusalsOf(Path file) throws IOException {
        DiskInspection inspection = new DiskInspection(DiskInspection.DEFAULT_MAX_VIRTUAL_BYTES);
        byte[] data = Files.readAllBytes(file);
        inspection.accept(data, 0, data.length);
        try {
            inspection.finish();
            return List.of();
        } catch (UnsafeImageException e) {
            return e.refusals().stream().map(Refusal::check).toList();
        }
    }

    static Optional<Inspection> inspect(FormatInspector inspector, byte[] file, IntSupplier readSizes) {
        int at = 0;
        while (at < file.length) {
            int n = Math.min(readSizes.getAsInt(), file.length - at);
            inspector.accept(file, at, n);
            at += n;
        }
        int kept = Math.min(file.length, FileEnd.KEPT);
        return inspector.finish(new FileEnd(file.length, Arrays.copyOfRange(file, file.length - kept, file.length)));
    }

    private byte[] sampleBytes() throws IOException {
        return Files.readAllBytes(sample(QemuImg.noise(dir, "data.raw", SAMPLE_DATA_BYTES, 42)));
    }

    @Test
    void detectsItsFormatWithTheDeclaredVirtualSize() throws IOException {
        Path sample = sample(QemuImg.noise(dir, "data.raw", SAMPLE_DATA_BYTES, 42));
        Optional<Inspection> found = inspect(newInspector(), Files.readAllBytes(sample), () -> 64 * 1024);
        assertThat(found).isPresent();
        assertThat(found.get().format()).isEqualTo(newInspector().format());
        assertThat(found.get().refusals()).as(found.get().refusals().toString()).extracting(Refusal::check)
                .isEqualTo(expectedRefusals());
        assertThat(found.get().virtualSize()).isEqualTo(expectedVirtualSize(sample));
    }

    @Test
    void reachesTheSameVerdictHoweverTheReadsAreSplit() throws IOException {
        byte[] file = sampleBytes();
        Inspection whole = inspect(newInspector(), file, () -> file.length).orElseThrow();
        int[] read = {0};
        // one byte at a time over the headers, then large reads
        Inspection bytewise = inspect(newInspector(), file, () -> read[0]++ < 70_000 ? 1 : 1 << 20).orElseThrow();
        assertThat(bytewise).isEqualTo(whole);
        Random random = new Random(7);
        for (int round = 0; round < 5; round++) {
            Inspection split = inspect(newInspector(), file, () -> 1 + random.nextInt(70_000)).orElseThrow();
            assertThat(split).isEqualTo(whole);
        }
    }

    @Test
    void claimsNeitherNoiseNorZeros() {
        byte[] noise = new byte[1 << 20];
        new Random(3).nextBytes(noise);
        for (byte[] file : new byte[][] {noise, new byte[1 << 20], new byte[0], new byte[100]}) {
            Optional<Inspection> found = inspect(newInspector(), file, () -> 8192);
            if (newInspector().format() == DiskFormat.RAW) {
                assertThat(found).hasValueSatisfying(i -> assertThat(i.virtualSize()).isEqualTo(file.length));
            } else {
                assertThat(found).isEmpty();
            }
        }
    }

    @Test
    void refusesItsFormatCutShort() throws IOException {
        byte[] file = sampleBytes();
        for (int length : new int[] {file.length / 2, file.length - 512, 4096}) {
            if (length <= 0 || length >= file.length) {
                continue; // a sample too small to be cut there
            }
            assertCutShort(inspect(newInspector(), Arrays.copyOf(file, length), () -> 65536), length);
        }
    }

    @Test
    void neverThrowsOnACorruptedHeader() throws IOException {
        byte[] file = sampleBytes();
        Random random = new Random(11);
        for (int round = 0; round < 30; round++) {
            byte[] corrupt = file.clone();
            for (int i = 0; i < 16; i++) {
                int at = random.nextInt(Math.min(file.length, round % 2 == 0 ? 1024 : 512 * 1024));
                corrupt[at] = (byte) random.nextInt(256);
            }
            Optional<Inspection> found = inspect(newInspector(), corrupt, () -> 1 + random.nextInt(100_000));
            found.ifPresent(i -> assertThat(i.format()).isEqualTo(newInspector().format()));
        }
    }
}
