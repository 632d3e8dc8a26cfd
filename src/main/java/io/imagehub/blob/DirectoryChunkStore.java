package io.imagehub.blob;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Chunks as files under {@code root/ab/cd/<sha256>}. The two-level fan-out keeps directories small
 * (65,536 leaves) even with millions of chunks.
 *
 * <p>A put writes a temporary file next to its target, forces it to disk and only then publishes it under
 * its final name, so a crash leaves either the whole chunk or a temporary file, never a torn chunk.
 */
public final class DirectoryChunkStore implements ChunkStore {

    static final String TEMP_PREFIX = ".tmp-";
    /** Depth of a chunk file below the root: ab/cd/sha. */
    private static final int CHUNK_DEPTH = 3;

    private final Path root;
    private final String id;
    private final AtomicLong chunksWritten = new AtomicLong();

    public DirectoryChunkStore(Path root) throws IOException {
        // the real path makes the id independent of how the root was spelled, and lets Files.walk enter a symlinked root
        this.root = Files.createDirectories(root).toRealPath();
        this.id = "dir:" + this.root;
    }

    @Override
    public boolean put(String sha256, byte[] data, int length) throws IOException {
        Path target = pathOf(sha256);
        if (refresh(sha256)) {
            return false;
        }
        Path dir = createDirectoriesDurably(target.getParent());
        Path temp = Files.createTempFile(dir, TEMP_PREFIX, "");
        try {
            writeAndForce(temp, data, length);
            if (!publish(temp, target)) {
                return false;
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        syncDirectory(dir);
        chunksWritten.incrementAndGet();
        return true;
    }

    /**
     * Gives {@code temp} the name {@code target}; false if another writer got there first.
     * A hard link fails when the target exists, which tells concurrent writers apart exactly, whereas
     * rename(2) silently replaces. Filesystems without hard links fall back to an atomic rename: replacing a
     * chunk with identical bytes is harmless, only the newly-written count may then be too high.
     */
    private static boolean publish(Path temp, Path target) throws IOException {
        try {
            Files.createLink(target, temp);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (UnsupportedOperationException | FileSystemException e) {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            return true;
        }
    }

    private static void writeAndForce(Path file, byte[] data, int length) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(data, 0, length);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    /** New fan-out directories must be durable too, or a crash can lose a chunk whose file was forced. */
    private Path createDirectoriesDurably(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            boolean parentIsNew = !Files.isDirectory(dir.getParent());
            Files.createDirectories(dir);
            syncDirectory(dir.getParent());
            if (parentIsNew) { // the root changed only if the first fan-out level did: spare its fsync otherwise
                syncDirectory(root);
            }
        }
        return dir;
    }

    /** Best effort: some platforms (Windows) cannot open a directory to force it. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // nothing better to do; the rename is still atomic, only its durability is up to the OS
        }
    }

    @Override
    public byte[] get(String sha256) throws IOException {
        try {
            return Sha256.verified(sha256, Files.readAllBytes(pathOf(sha256)));
        } catch (NoSuchFileException e) {
            throw new ChunkNotFoundException(sha256);
        }
    }

    @Override
    public boolean contains(String sha256) {
        return Files.exists(pathOf(sha256));
    }

    @Override
    public boolean refresh(String sha256) throws IOException {
        try {
            Files.setLastModifiedTime(pathOf(sha256), FileTime.from(Instant.now()));
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    @Override
    public Instant lastModified(String sha256) throws IOException {
        try {
            return Files.getLastModifiedTime(pathOf(sha256)).toInstant();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    @Override
    public void delete(String sha256) throws IOException {
        Files.deleteIfExists(pathOf(sha256));
    }

    @Override
    public void forEach(Consumer<String> sink) throws IOException {
        try (Stream<Path> files = Files.walk(root, CHUNK_DEPTH)) {
            files.map(file -> file.getFileName().toString())
                    .filter(Sha256::isValid)
                    .forEach(sink);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * Deletes temporary files left by puts that crashed, returning how many were removed. Only files older
     * than {@code minAge} are touched, so that puts still in flight in other processes are not disturbed.
     */
    public int removeStaleTempFiles(Duration minAge) throws IOException {
        FileTime cutoff = FileTime.from(Instant.now().minus(minAge));
        int removed = 0;
        try (Stream<Path> files = Files.walk(root, CHUNK_DEPTH)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (isTempOlderThan(file, cutoff) && Files.deleteIfExists(file)) {
                    removed++;
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return removed;
    }

    private static boolean isTempOlderThan(Path file, FileTime cutoff) throws IOException {
        if (!file.getFileName().toString().startsWith(TEMP_PREFIX)) {
            return false;
        }
        try {
            return Files.getLastModifiedTime(file).compareTo(cutoff) < 0;
        } catch (NoSuchFileException e) {
            return false; // its put just finished
        }
    }

    @Override
    public long chunksWritten() {
        return chunksWritten.get();
    }

    @Override
    public String id() {
        return id;
    }

    /**
     * The file that holds the chunk (whether or not it is stored): for backups and restores, which link or copy chunk
     * files as they are. A chunk file is never changed once published (only its mtime, by {@link #refresh}), so a
     * hard link to it is a copy.
     */
    public Path fileOf(String sha256) {
        return pathOf(sha256);
    }

    Path pathOf(String sha256) {
        Sha256.requireValid(sha256);
        return root.resolve(sha256.substring(0, 2)).resolve(sha256.substring(2, 4)).resolve(sha256);
    }

    @Override
    public String toString() {
        return id;
    }
}
