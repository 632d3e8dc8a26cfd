package io.imagehub.backup;

import io.imagehub.backup.BackupException.Kind;
import io.imagehub.backup.BackupManifest.StoreEntry;
import io.imagehub.blob.ChunkNotFoundException;
import io.imagehub.blob.ChunkStore;
import io.imagehub.blob.CorruptChunkException;
import io.imagehub.blob.DirectoryChunkStore;
import io.imagehub.blob.Sha256;
import io.imagehub.config.ServerConfig;
import io.imagehub.config.StoreConfig;
import io.imagehub.domain.SecretCipher;
import io.imagehub.store.BackupContents;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Brings a backup back as the data dir of a new node, offline. Everything is checked before anything is written:
 * backup.json, the database file's size and digest, each chunk list's digest and count, every copied chunk's content
 * against its name, the master key. Then the database is unpacked and opened, its row counts compared with the
 * manifest's, and every chunk its NORMAL images and instance disks need found; only then are the chunks placed. A
 * failure leaves the new data dir as empty as it was.
 */
public final class Restore {
    /** What the restore did. */
    public record Result(Path dataDir, BackupManifest manifest, long chunksLinked, long chunksCopied) {
    }

    private Restore() {
    }

    /** The master key in {@code file} (base64, as a node writes {@code master.key}). */
    public static SecretCipher masterKey(Path file) throws BackupException, IOException {
        try {
            return new SecretCipher(Base64.getDecoder().decode(Files.readString(file).trim()));
        } catch (NoSuchFileException e) {
            throw new BackupException(Kind.REFUSED, "no master key file " + file);
        } catch (IllegalArgumentException e) {
            throw new BackupException(Kind.REFUSED, file + " is not a master key (32 bytes, base64)");
        }
    }

    /**
     * Restores {@code from} into {@code target}'s data dir (absent or empty) and chunk stores.
     *
     * @param masterKey the key the backup's SecretKeys are sealed with
     * @param keyFile   the file it came from, copied to the new data dir's key file; null if the node gets it otherwise
     */
    public static Result run(Path from, ServerConfig target, SecretCipher masterKey, Path keyFile, boolean copyChunks)
            throws BackupException, IOException {
        if (target.dbUrl != null) {
            throw new BackupException(Kind.REFUSED, "the configuration names a database server (dbUrl): restore writes "
                    + "the embedded database; restore a PostgreSQL database with its own tools (docs/operations.md, Backups)");
        }
        Path dataDir = target.dataDir.toAbsolutePath().normalize();
        if (!BackupFiles.isAbsentOrEmpty(dataDir)) {
            throw new BackupException(Kind.TARGET_NOT_EMPTY, dataDir + " is not empty: a restore goes into a new or "
                    + "empty data dir and never over another node's data");
        }
        BackupManifest manifest = BackupManifest.read(from);
        if (!BackupManifest.keyCheck(masterKey).equals(manifest.masterKeyCheck())) {
            throw new BackupException(Kind.REFUSED, "the master key given is not the one the backup's SecretKeys are "
                    + "sealed with: pass the master.key of the node that made it");
        }
        Path zip = from.resolve(BackupManifest.DATABASE_FILE);
        checkDatabaseFile(zip, manifest);
        Map<StoreEntry, StoreConfig> stores = targetStores(manifest, target);
        Map<StoreEntry, List<String>> chunks = new LinkedHashMap<>();
        for (StoreEntry store : manifest.stores()) {
            chunks.put(store, checkedChunks(from, store));
        }

        boolean created = !Files.exists(dataDir);
        Files.createDirectories(dataDir);
        try {
            DatabaseArchive.unpack(zip, dataDir);
            BackupContents contents = DatabaseArchive.contents(dataDir, true);
            if (!contents.counts().equals(manifest.counts())) {
                throw invalid("the database holds " + contents.counts() + ", " + BackupManifest.FILE + " says "
                        + manifest.counts());
            }
            checkRequiredChunks(contents, target, chunks);
            ChunkPlacer placer = new ChunkPlacer(copyChunks);
            for (Map.Entry<StoreEntry, List<String>> store : chunks.entrySet()) {
                place(from, store.getKey(), store.getValue(), stores.get(store.getKey()), dataDir, placer);
            }
            placer.finish();
            if (keyFile != null) {
                installKey(keyFile, masterKey, target.effectiveMasterKeyFile());
            }
            return new Result(dataDir, manifest, placer.linked(), placer.copied());
        } catch (BackupException | IOException | RuntimeException e) {
            BackupFiles.undo(dataDir, created);
            throw e;
        }
    }

    private static void checkDatabaseFile(Path zip, BackupManifest manifest) throws BackupException, IOException {
        if (!Files.isRegularFile(zip)) {
            throw invalid("the backup has no " + BackupManifest.DATABASE_FILE);
        }
        if (Files.size(zip) != manifest.database().bytes() || !BackupFiles.sha256Hex(zip).equals(manifest.database().sha256())) {
            throw invalid(zip + " is not the file " + BackupManifest.FILE + " describes (size or SHA-256 differ)");
        }
    }

    /** The new node's store of each store in the backup, by name: the configuration must use every one. */
    private static Map<StoreEntry, StoreConfig> targetStores(BackupManifest manifest, ServerConfig target)
            throws BackupException {
        Map<String, StoreConfig> inUse = target.chunkStoresInUse();
        Map<StoreEntry, StoreConfig> stores = new LinkedHashMap<>();
        for (StoreEntry store : manifest.stores()) {
            StoreConfig config = inUse.get(store.name());
            if (config == null) {
                throw new BackupException(Kind.REFUSED, "the backup holds chunk store \"" + store.name() + "\" ("
                        + store.location() + "), which no region of the configuration uses: give restore the "
                        + "configuration the new node will run with (--config)");
            }
            stores.put(store, config);
        }
        return stores;
    }

    /** The store's chunk list, checked against the manifest, and (when copied) every chunk file against its name. */
    private static List<String> checkedChunks(Path from, StoreEntry store) throws BackupException, IOException {
        Path listFile = BackupManifest.chunkList(from, store);
        byte[] list;
        try (InputStream in = Files.newInputStream(listFile)) {
            list = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, store.chunks() * 65 + 1));
        } catch (NoSuchFileException e) {
            throw invalid("the backup has no chunk list " + listFile);
        }
        if (!BackupFiles.sha256Hex(list).equals(store.chunkListSha256())) {
            throw invalid(listFile + " is not the list " + BackupManifest.FILE + " describes (SHA-256 differs)");
        }
        List<String> chunks = new String(list, StandardCharsets.US_ASCII).lines().toList();
        if (chunks.size() != store.chunks() || !chunks.stream().allMatch(Sha256::isValid)) {
            throw invalid(listFile + " does not list " + store.chunks() + " chunk digests");
        }
        if (store.copied() && !chunks.isEmpty()) {
            Path dir = BackupManifest.chunkDir(from, store);
            if (!Files.isDirectory(dir)) {
                throw invalid("the backup has no chunk directory " + dir);
            }
            DirectoryChunkStore copy = new DirectoryChunkStore(dir);
            for (String sha256 : chunks) {
                try {
                    copy.get(sha256);
                } catch (ChunkNotFoundException e) {
                    throw invalid("chunk " + sha256 + " of store " + store.name() + " is missing from the backup");
                } catch (CorruptChunkException e) {
                    throw invalid("chunk " + sha256 + " of store " + store.name() + " is corrupt in the backup "
                            + "(its content does not hash to its name)");
                }
            }
        }
        return chunks;
    }

    /** Every chunk a NORMAL image or an instance disk of a region needs is in the backup of that region's store. */
    private static void checkRequiredChunks(BackupContents contents, ServerConfig target,
                                            Map<StoreEntry, List<String>> chunks) throws BackupException {
        Map<String, Set<String>> byStore = new LinkedHashMap<>();
        chunks.forEach((store, list) -> byStore.put(store.name(), new HashSet<>(list)));
        for (Map.Entry<String, Set<String>> region : contents.requiredChunksByRegion().entrySet()) {
            String store = target.regionStore.getOrDefault(region.getKey(), ServerConfig.DEFAULT_STORE);
            Set<String> there = byStore.getOrDefault(store, Set.of());
            List<String> missing = region.getValue().stream().filter(c -> !there.contains(c)).toList();
            if (!missing.isEmpty()) {
                throw invalid("the backup lacks " + missing.size() + " chunk(s) that NORMAL images or instance disks "
                        + "of region " + region.getKey() + " need in store " + store + " (first: " + missing.get(0) + ")");
            }
        }
    }

    private static void place(Path from, StoreEntry store, List<String> chunks, StoreConfig config, Path dataDir,
                              ChunkPlacer placer) throws BackupException, IOException {
        if (config.isDirectory() && store.copied()) {
            DirectoryChunkStore source = new DirectoryChunkStore(BackupManifest.chunkDir(from, store));
            DirectoryChunkStore target = new DirectoryChunkStore(config.directoryPath(dataDir));
            for (String sha256 : chunks) {
                placer.place(source.fileOf(sha256), target.fileOf(sha256));
            }
            return;
        }
        ChunkStore target = config.openChunkStore(dataDir);
        try {
            if (store.copied()) { // a directory store's chunks into another kind of store
                DirectoryChunkStore source = new DirectoryChunkStore(BackupManifest.chunkDir(from, store));
                for (String sha256 : chunks) {
                    byte[] data = source.get(sha256);
                    target.put(sha256, data, data.length);
                }
                return;
            }
            List<String> missing = new ArrayList<>();
            for (String sha256 : chunks) {
                if (!target.contains(sha256)) {
                    missing.add(sha256);
                }
            }
            if (!missing.isEmpty()) {
                throw invalid("store " + store.name() + " (" + config.location(dataDir) + ") lacks " + missing.size()
                        + " chunk(s) the backup's images need (first: " + missing.get(0) + "): restore their earlier "
                        + "versions (bucket versioning) and run restore again");
            }
        } finally {
            if (target instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    throw new IOException("could not close store " + store.name(), e);
                }
            }
        }
    }

    /** Copies the key file to where the new node reads it; a key already there must be the same key. */
    private static void installKey(Path keyFile, SecretCipher masterKey, Path destination)
            throws BackupException, IOException {
        if (Files.exists(destination)) {
            if (!BackupManifest.keyCheck(masterKey(destination)).equals(BackupManifest.keyCheck(masterKey))) {
                throw new BackupException(Kind.REFUSED, destination + " holds another master key than " + keyFile);
            }
            return;
        }
        Files.createDirectories(destination.toAbsolutePath().getParent());
        Files.copy(keyFile, destination);
        SecretCipher.restrictToOwner(destination);
        BackupFiles.force(destination);
    }

    private static BackupException invalid(String message) {
        return new BackupException(Kind.INVALID_BACKUP, message);
    }
}
