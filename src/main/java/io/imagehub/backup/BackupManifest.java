package io.imagehub.backup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.imagehub.backup.BackupException.Kind;
import io.imagehub.blob.Sha256;
import io.imagehub.domain.SecretCipher;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code backup.json}: what a backup holds, so that a restore can check it before it writes anything. Written last,
 * so a directory without it is not a complete backup. The layout of a backup directory:
 * <pre>
 * backup.json                 this manifest
 * database.zip                the embedded database, as H2's BACKUP TO wrote it
 * stores/NAME.chunks          per chunk store: the digests of the chunks it must hold, sorted, one per line
 * stores/NAME/ab/cd/SHA256    the chunk files of a directory store (hard links or copies)
 * </pre>
 *
 * @param masterKeyCheck identifies the master key the SecretKeys are sealed with (a key derived from it), not the key
 */
public record BackupManifest(String format, String createdAt, DatabaseEntry database, String masterKeyCheck,
                             Map<String, Long> counts, List<StoreEntry> stores) {
    public static final String FORMAT = "imagehub-backup/1";
    public static final String FILE = "backup.json";
    public static final String DATABASE_FILE = "database.zip";
    private static final int MAX_BYTES = 1 << 20;
    private static final Pattern DIR_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /** @param bytes and {@code sha256} of database.zip; {@code schemaVersion} the last migration applied to it */
    public record DatabaseEntry(long bytes, String sha256, String h2Version, String schemaVersion) {
    }

    /**
     * One chunk store of the node, by the name its configuration gives it ({@code default}: {@code <data-dir>/blobs}).
     *
     * @param dir     the store's name under {@code stores/}
     * @param copied  true: the chunks are in {@code stores/DIR/}; false (S3): they are only listed, the bucket holds them
     * @param chunks  how many digests {@code stores/DIR.chunks} lists; {@code bytes} their size when copied
     */
    public record StoreEntry(String name, String type, String location, String dir, boolean copied, long chunks,
                             long bytes, String chunkListSha256) {
    }

    /** Names the master key without revealing it: a backup records it, a restore compares the key it is given. */
    static String keyCheck(SecretCipher cipher) {
        return HexFormat.of().formatHex(Arrays.copyOf(cipher.derivedKey("backup key check"), 16));
    }

    /** A file-system-safe directory name for a store: its own name if it is one, else {@code store-N}. */
    static String dirName(String storeName, int index) {
        return DIR_NAME.matcher(storeName).matches() ? storeName : "store-" + index;
    }

    static Path chunkList(Path backup, StoreEntry store) {
        return backup.resolve("stores").resolve(store.dir() + ".chunks");
    }

    static Path chunkDir(Path backup, StoreEntry store) {
        return backup.resolve("stores").resolve(store.dir());
    }

    byte[] toJson() throws JsonProcessingException {
        return JSON.writeValueAsBytes(this);
    }

    /** The manifest of the backup in {@code dir}, checked for what a restore relies on; the files are checked later. */
    static BackupManifest read(Path dir) throws BackupException, IOException {
        Path file = dir.resolve(FILE);
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw invalid(dir + " holds no " + FILE + ": it is not a complete imagehub backup (a backup writes it last)");
        }
        if (bytes.length > MAX_BYTES) {
            throw invalid(file + " is larger than " + MAX_BYTES + " bytes: not an imagehub backup manifest");
        }
        BackupManifest manifest;
        try {
            manifest = JSON.readValue(bytes, BackupManifest.class);
        } catch (JsonProcessingException e) {
            throw invalid(file + " is not a readable backup manifest: " + e.getOriginalMessage());
        }
        manifest.check(file);
        return manifest;
    }

    private void check(Path file) throws BackupException {
        if (!FORMAT.equals(format)) {
            throw invalid(file + ": format is " + format + ", this imagehub reads " + FORMAT);
        }
        if (database == null || !Sha256.isValid(database.sha256()) || database.bytes() <= 0) {
            throw invalid(file + ": the database entry is missing or has no valid size and sha256");
        }
        if (masterKeyCheck == null || counts == null || stores == null) {
            throw invalid(file + ": masterKeyCheck, counts and stores are required");
        }
        Set<String> dirs = new HashSet<>();
        for (StoreEntry store : stores) {
            if (store == null || store.name() == null || store.dir() == null || !DIR_NAME.matcher(store.dir()).matches()
                    || !dirs.add(store.dir()) || !Sha256.isValid(store.chunkListSha256())
                    || store.chunks() < 0) {
                throw invalid(file + ": a store entry is incomplete or names a directory that is not a plain name");
            }
        }
    }

    private static BackupException invalid(String message) {
        return new BackupException(Kind.INVALID_BACKUP, message);
    }
}
