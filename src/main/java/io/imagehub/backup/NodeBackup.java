package io.imagehub.backup;

import io.imagehub.backup.BackupException.Kind;
import io.imagehub.backup.BackupManifest.DatabaseEntry;
import io.imagehub.backup.BackupManifest.StoreEntry;
import io.imagehub.blob.ChunkStore;
import io.imagehub.blob.ChunkStores;
import io.imagehub.blob.DirectoryChunkStore;
import io.imagehub.blob.ForwardingChunkStore;
import io.imagehub.blob.GarbageCollector;
import io.imagehub.config.RegionConfig;
import io.imagehub.config.ServerConfig;
import io.imagehub.config.StoreConfig;
import io.imagehub.domain.SecretCipher;
import io.imagehub.store.BackupContents;
import io.imagehub.store.Database;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An online backup of a node on the embedded set-up (H2 file database), taken by the node itself while it serves
 * (docs/adr/0016-backup.md): with garbage collection held, H2's {@code BACKUP TO} copies the database as of its last
 * committed state, the snapshot is opened to read what it references, and every referenced chunk of a directory
 * store is linked or copied beside it; chunks of an S3 store are listed, the bucket keeps them. backup.json comes last.
 */
public final class NodeBackup {
    private static final Logger LOG = LoggerFactory.getLogger(NodeBackup.class);

    /** A chunk store the node's regions use, by its configured name, with those regions. */
    private record NamedStore(String name, StoreConfig config, ChunkStore store, Set<String> regions) {
    }

    /** What one backup wrote. */
    public record Result(Path dir, BackupManifest manifest, long chunksLinked, long chunksCopied) {
    }

    private final Database database;
    private final boolean embedded;
    private final Path dataDir;
    private final GarbageCollector collector;
    private final List<NamedStore> stores;
    private final String masterKeyCheck;
    private final ReentrantLock running = new ReentrantLock();

    public NodeBackup(ServerConfig config, Database database, ChunkStores chunkStores, GarbageCollector collector,
                      SecretCipher cipher) {
        this.database = database;
        this.embedded = config.effectiveDbUrl().startsWith("jdbc:h2:file:");
        this.dataDir = config.dataDir.toAbsolutePath().normalize();
        this.collector = collector;
        this.masterKeyCheck = BackupManifest.keyCheck(cipher);
        Map<String, StoreConfig> inUse = config.chunkStoresInUse();
        Map<String, NamedStore> byName = new LinkedHashMap<>();
        for (RegionConfig region : config.regions) {
            String name = config.regionStore.getOrDefault(region.region(), ServerConfig.DEFAULT_STORE);
            byName.computeIfAbsent(name, n -> new NamedStore(n, inUse.get(n), chunkStores.forRegion(region.region()),
                    new LinkedHashSet<>())).regions().add(region.region());
        }
        this.stores = List.copyOf(byName.values());
    }

    /**
     * Writes a backup into {@code target}, an absolute path outside the data dir that does not exist or is an empty
     * directory. On failure nothing of it is left there.
     */
    public Result take(Path target, boolean copyChunks) throws BackupException, IOException {
        if (!embedded) {
            throw new BackupException(Kind.REFUSED, "this node's metadata store is PostgreSQL: back it up with pg_dump "
                    + "or base backups and point-in-time recovery, its bucket with versioning (docs/operations.md, Backups)");
        }
        if (!target.isAbsolute()) {
            throw new BackupException(Kind.REFUSED, "the backup directory must be an absolute path: " + target);
        }
        Path dir = target.normalize();
        if (dir.startsWith(dataDir)) {
            throw new BackupException(Kind.REFUSED, "the backup directory " + dir + " is inside the data dir " + dataDir);
        }
        if (!running.tryLock()) {
            throw new BackupException(Kind.BUSY, "a backup of this node is under way; try again when it has finished");
        }
        try {
            if (!BackupFiles.isAbsentOrEmpty(dir)) {
                throw new BackupException(Kind.TARGET_NOT_EMPTY, dir + " is not empty: a backup goes into a new or empty "
                        + "directory and never overwrites one");
            }
            boolean created = !Files.exists(dir);
            Files.createDirectories(dir);
            try {
                Result result = write(dir, copyChunks);
                LOG.info("backup written to {}: {}, {} chunks linked, {} copied", dir, result.manifest().counts(),
                        result.chunksLinked(), result.chunksCopied());
                return result;
            } catch (BackupException | IOException | RuntimeException e) {
                BackupFiles.undo(dir, created);
                throw e;
            }
        } finally {
            running.unlock();
        }
    }

    private Result write(Path dir, boolean copyChunks) throws BackupException, IOException {
        ChunkPlacer placer = new ChunkPlacer(copyChunks);
        List<StoreEntry> entries = new ArrayList<>();
        Path zip = dir.resolve(BackupManifest.DATABASE_FILE);
        BackupContents contents;
        // from before the snapshot until its chunks are placed: no sweep may delete a chunk it names
        try (GarbageCollector.Hold hold = collector.hold()) {
            snapshot(zip);
            contents = contentsOf(zip, dir.resolve(".snapshot"));
            for (NamedStore store : stores) {
                entries.add(backUp(store, entries.size(), contents, dir, placer));
            }
            placer.finish();
        }
        DatabaseEntry database = new DatabaseEntry(Files.size(zip), BackupFiles.sha256Hex(zip),
                DatabaseArchive.h2Version(), contents.schemaVersion());
        BackupManifest manifest = new BackupManifest(BackupManifest.FORMAT, Instant.now().toString(), database,
                masterKeyCheck, contents.counts(), entries);
        BackupFiles.writeDurably(dir.resolve(BackupManifest.FILE), manifest.toJson());
        return new Result(dir, manifest, placer.linked(), placer.copied());
    }

    /** H2's online backup: the database as of its last commit, without stopping writers (H2 grammar, BACKUP). */
    private void snapshot(Path zip) throws IOException {
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement backup = c.prepareStatement("BACKUP TO ?")) {
            backup.setString(1, zip.toString());
            backup.execute();
            c.rollback();
        } catch (SQLException e) {
            throw new IOException("the database snapshot failed: " + e.getMessage(), e);
        }
        BackupFiles.force(zip);
        BackupFiles.forceDirectory(zip.getParent());
    }

    /** What the snapshot references, read from a scratch copy of it (opening it rolls back what was uncommitted). */
    private static BackupContents contentsOf(Path zip, Path scratch) throws BackupException, IOException {
        try {
            DatabaseArchive.unpack(zip, scratch);
            return DatabaseArchive.contents(scratch, false);
        } finally {
            BackupFiles.undo(scratch, true);
        }
    }

    private StoreEntry backUp(NamedStore store, int index, BackupContents contents, Path dir, ChunkPlacer placer)
            throws BackupException, IOException {
        String dirName = BackupManifest.dirName(store.name(), index);
        Set<String> required = new TreeSet<>();
        store.regions().forEach(r -> required.addAll(contents.requiredChunksByRegion().getOrDefault(r, Set.of())));
        List<String> listed = new ArrayList<>();
        long bytes = 0;
        ChunkStore underlying = ForwardingChunkStore.underlying(store.store());
        boolean copied = underlying instanceof DirectoryChunkStore;
        if (underlying instanceof DirectoryChunkStore source) {
            // every chunk any snapshot row names that this store has, as garbage collection marks them: a SYNCING
            // copy's chunks are read from its source region's store, whatever the source image's fate
            DirectoryChunkStore copy = new DirectoryChunkStore(dir.resolve("stores").resolve(dirName));
            for (String sha256 : new TreeSet<>(contents.referencedChunks())) {
                if (placer.place(source.fileOf(sha256), copy.fileOf(sha256)) != ChunkPlacer.Outcome.ABSENT) {
                    listed.add(sha256);
                    bytes += Files.size(copy.fileOf(sha256));
                }
            }
            Set<String> missing = new TreeSet<>(required);
            listed.forEach(missing::remove);
            if (!missing.isEmpty()) {
                throw new BackupException(Kind.DAMAGED, "chunk store " + store.name() + " lacks " + missing.size()
                        + " chunk(s) that NORMAL images or instance disks of its regions name (first: "
                        + missing.iterator().next() + "): the backup would not restore");
            }
        } else {
            listed.addAll(required); // the bucket holds them (with versioning, also after garbage collection)
        }
        StringBuilder list = new StringBuilder();
        listed.forEach(sha256 -> list.append(sha256).append('\n'));
        byte[] listBytes = list.toString().getBytes(StandardCharsets.US_ASCII);
        StoreEntry entry = new StoreEntry(store.name(), store.config().type(), store.config().location(dataDir),
                dirName, copied, listed.size(), bytes, BackupFiles.sha256Hex(listBytes));
        Path listFile = BackupManifest.chunkList(dir, entry);
        Files.createDirectories(listFile.getParent());
        BackupFiles.writeDurably(listFile, listBytes);
        return entry;
    }
}
