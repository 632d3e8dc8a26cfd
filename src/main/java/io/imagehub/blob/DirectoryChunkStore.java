package io.imagehub.blob;

import java.io.IOException;
import java.io.InterruptedIOException;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Chunks as files under {@code root/ab/cd/<sha256>}. The two-level fan-out keeps directories small
 * (65,536 leaves) even with millions of chunks.
 *
 * <p>A chunk is written to a temporary file next to its target, forced to disk and only then published under its
 * final name (a hard link), so a file under a chunk's name always holds the whole chunk, even after a crash.
 * A {@link Batch} defers the work that needs the disk (docs/adr/0014-data-plane-flush.md): its puts only write the
 * temporary files, whose fsyncs start at once on background threads; its flush waits for those, publishes every
 * chunk, then fsyncs each directory that holds one and the directories above it, each once, all in parallel
 * (concurrent fsyncs share the file system's journal commits). A chunk of an unflushed batch is invisible to readers.
 */
public final class DirectoryChunkStore implements ChunkStore {

    static final String TEMP_PREFIX = ".tmp-";
    /** Depth of a chunk file below the root: ab/cd/sha. */
    private static final int CHUNK_DEPTH = 3;
    /** fsyncs in flight for all batches together: enough to share journal commits, few enough to stay cheap. */
    private static final int FORCE_THREADS = 8;
    private static final ExecutorService FORCING = forcingThreads();

    private final Path root;
    private final String id;
    private final AtomicLong chunksWritten = new AtomicLong();

    public DirectoryChunkStore(Path root) throws IOException {
        // the real path makes the id independent of how the root was spelled, and lets Files.walk enter a symlinked root
        this.root = Files.createDirectories(root).toRealPath();
        this.id = "dir:" + this.root;
    }

    private static ExecutorService forcingThreads() {
        ThreadPoolExecutor threads = new ThreadPoolExecutor(FORCE_THREADS, FORCE_THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), Thread.ofPlatform().name("imagehub-fsync-", 0).daemon().factory());
        threads.allowCoreThreadTimeOut(true);
        return threads;
    }

    /** A batch of one, flushed before it returns. */
    @Override
    public boolean put(String sha256, byte[] data, int length) throws IOException {
        try (DirectoryBatch batch = new DirectoryBatch()) {
            batch.put(sha256, data, length);
            return batch.publish() > 0; // 0 when the chunk was there already, or a racing writer published it first
        }
    }

    @Override
    public Batch batch() {
        return new DirectoryBatch();
    }

    /** The chunks of one writer: written at once, forced in the background, published by {@link #flush}. */
    private final class DirectoryBatch implements Batch {
        private record Pending(Path temp, Path target, Future<?> forced) {
        }

        private final Map<String, Pending> pending = new ConcurrentHashMap<>();

        @Override
        public boolean put(String sha256, byte[] data, int length) throws IOException {
            Path target = pathOf(sha256);
            if (pending.containsKey(sha256) || refresh(sha256)) {
                return false;
            }
            Path dir = target.getParent();
            Files.createDirectories(dir); // made durable by the flush, with the chunk's own entry
            Path temp = Files.createTempFile(dir, TEMP_PREFIX, "");
            try {
                write(temp, data, length);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(temp);
                throw e;
            }
            Pending chunk = new Pending(temp, target, FORCING.submit(() -> {
                force(temp, false); // fdatasync: the bytes, and the size needed to read them back
                return null;
            }));
            if (pending.putIfAbsent(sha256, chunk) != null) { // another thread of this batch put it meanwhile
                discard(chunk);
                return false;
            }
            return true;
        }

        @Override
        public void flush() throws IOException {
            publish();
        }

        /** Publishes every pending chunk durably; returns how many were new (not published by another writer first). */
        int publish() throws IOException {
            for (Pending chunk : pending.values()) {
                await(chunk.forced()); // every chunk's bytes are on disk before any of them gets its name
            }
            Set<Path> dirs = new HashSet<>();
            int published = 0;
            for (Pending chunk : pending.values()) {
                if (DirectoryChunkStore.publish(chunk.temp(), chunk.target())) {
                    published++;
                }
                Files.deleteIfExists(chunk.temp());
                // the chunk's directory, and those above it: whoever created them, their entries must be durable too
                for (Path dir = chunk.target().getParent(); dir.startsWith(root); dir = dir.getParent()) {
                    dirs.add(dir);
                }
            }
            pending.clear();
            List<Future<?>> forced = new ArrayList<>();
            for (Path dir : dirs) {
                forced.add(FORCING.submit(() -> {
                    syncDirectory(dir);
                    return null;
                }));
            }
            for (Future<?> f : forced) {
                await(f);
            }
            chunksWritten.addAndGet(published);
            return published;
        }

        /** Removes what was not flushed: the temporary files (a crash leaves them to garbage collection instead). */
        @Override
        public void close() throws IOException {
            IOException failure = null;
            for (Pending chunk : pending.values()) {
                try {
                    discard(chunk);
                } catch (IOException e) {
                    failure = failure == null ? e : failure;
                }
            }
            pending.clear();
            if (failure != null) {
                throw failure;
            }
        }

        private void discard(Pending chunk) throws IOException {
            try {
                await(chunk.forced());
            } catch (IOException ignored) {
                // the chunk is abandoned: whether its bytes reached the disk no longer matters
            }
            Files.deleteIfExists(chunk.temp());
        }
    }

    private static void await(Future<?> future) throws IOException {
        try {
            future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while forcing chunks to disk");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        }
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

    private static void write(Path file, byte[] data, int length) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(data, 0, length);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
    }

    private static void force(Path file, boolean metadata) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(metadata);
        }
    }

    /** Best effort: some platforms (Windows) cannot open a directory to force it. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // nothing better to do; the link is still atomic, only its durability is up to the OS
        }
    }

    /** Chunks of this store were hashed by imagehub when they were written; copies out of it need not hash them again. */
    @Override
    public boolean trusted() {
        return true;
    }

    @Override
    public byte[] getForCopy(String sha256) throws IOException {
        try {
            return Files.readAllBytes(pathOf(sha256));
        } catch (NoSuchFileException e) {
            throw new ChunkNotFoundException(sha256);
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
     * Deletes temporary files left by puts and batches that crashed, returning how many were removed. Only files
     * last written before {@code before} are touched: garbage collection passes its cutoff, which is no later than
     * the start of the oldest write job still under way (in any process), whose unflushed batch holds its chunks
     * as temporary files.
     */
    public int removeTempFilesOlderThan(Instant before) throws IOException {
        FileTime cutoff = FileTime.from(before);
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
