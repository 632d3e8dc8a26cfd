package io.imagehub.backup;

import io.imagehub.backup.BackupException.Kind;
import io.imagehub.config.ServerConfig;
import io.imagehub.store.BackupContents;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * database.zip, the embedded database as H2's {@code BACKUP TO} writes it: one entry, the MVStore file. Unpacked into
 * a data dir's {@code db/} it is that data dir's database (uncommitted transactions of the moment are rolled back when
 * it is opened).
 */
final class DatabaseArchive {
    /** The file {@link ServerConfig#effectiveDbUrl()} names under {@code <dataDir>/db}. */
    static final String ENTRY = "imagehub.mv.db";

    private DatabaseArchive() {
    }

    /** Unpacks {@code zip} as {@code dataDir}'s database; anything but the one expected entry is refused. */
    static void unpack(Path zip, Path dataDir) throws IOException, BackupException {
        Path target = Files.createDirectories(dataDir.resolve("db")).resolve(ENTRY);
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            ZipEntry entry = in.getNextEntry();
            if (entry == null || !entry.getName().equals(ENTRY)) {
                throw new BackupException(Kind.INVALID_BACKUP, zip + " does not hold " + ENTRY
                        + (entry == null ? "" : " (its first entry is " + entry.getName() + ")"));
            }
            Files.copy(in, target);
            if (in.getNextEntry() != null) {
                throw new BackupException(Kind.INVALID_BACKUP, zip + " holds more than the database file");
            }
        } catch (ZipException e) {
            throw new BackupException(Kind.INVALID_BACKUP, zip + " is not a readable zip file: " + e.getMessage(), e);
        }
        BackupFiles.force(target);
        BackupFiles.forceDirectory(target.getParent());
    }

    /**
     * Opens the database of {@code dataDir} (as the node would, without migrating it) and reads what it holds; then,
     * if {@code adopt}, releases its jobs' leases for the node that will run it ({@link BackupContents#releaseLeases}).
     */
    static BackupContents contents(Path dataDir, boolean adopt) throws BackupException {
        ServerConfig config = new ServerConfig();
        config.dataDir = dataDir;
        // IFEXISTS: a missing file is an error here, not a new empty database
        try (Connection c = DriverManager.getConnection(config.effectiveDbUrl() + ";IFEXISTS=TRUE", "", "")) {
            c.setAutoCommit(true);
            BackupContents contents = BackupContents.read(c);
            if (adopt) {
                BackupContents.releaseLeases(c);
            }
            return contents;
        } catch (SQLException | RuntimeException e) {
            throw new BackupException(Kind.INVALID_BACKUP, "the database of the backup does not open or cannot be read: "
                    + e.getMessage(), e);
        }
    }

    static String h2Version() {
        return org.h2.engine.Constants.VERSION;
    }
}
