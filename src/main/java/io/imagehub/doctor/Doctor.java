package io.imagehub.doctor;

import io.imagehub.blob.ChunkStore;
import io.imagehub.api.Tc3Signer;
import io.imagehub.config.ServerConfig;
import io.imagehub.config.StoreConfig;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;

/**
 * Checks what a node needs before it starts, with the configuration {@code serve} would use, and says what to fix.
 * It changes nothing a node relies on: probe files and probe chunks are random and removed again, and an embedded
 * database that does not exist yet is not created.
 */
public final class Doctor {
    private static final long LOW_SPACE_BYTES = 1L << 30;
    private static final Duration CLOCK_TOLERANCE = Duration.ofSeconds(5);
    private static final int DB_TIMEOUT_SECONDS = 5;
    /** H2's error codes for "no such database" (with IFEXISTS) and "the file is locked by another process". */
    private static final int H2_DATABASE_NOT_FOUND = 90146;
    private static final int H2_DATABASE_IN_USE = 90020;

    private final ServerConfig config;

    public Doctor(ServerConfig config) {
        this.config = config;
    }

    public List<Finding> examine() {
        List<Finding> findings = new ArrayList<>();
        findings.add(java());
        Finding dataDir = dataDir();
        findings.add(dataDir);
        if (dataDir.verdict() != Finding.Verdict.FAIL) {
            findings.add(freeSpace());
        }
        findings.addAll(database());
        for (Map.Entry<String, StoreConfig> store : config.chunkStoresInUse().entrySet()) {
            findings.add(chunkStore(store.getKey(), store.getValue()));
        }
        findings.add(qemuImg());
        return findings;
    }

    private static Finding java() {
        String detail = Runtime.version() + " (" + System.getProperty("java.vendor") + ") at " + System.getProperty("java.home");
        return Runtime.version().feature() >= 21 ? Finding.ok("java", detail)
                : Finding.fail("java", detail, "install a JDK >= 21 (e.g. apt-get install openjdk-21-jdk-headless) or set JAVA_HOME to one");
    }

    private Finding dataDir() {
        Path dir = config.dataDir.toAbsolutePath();
        try {
            Files.createDirectories(dir);
            probeWrite(dir);
            return Finding.ok("data dir", dir + " is writable");
        } catch (IOException e) {
            return Finding.fail("data dir", dir + ": " + reason(e), writableFix(e, dir, "--data-dir"));
        }
    }

    private Finding freeSpace() {
        Path dir = config.dataDir.toAbsolutePath();
        try {
            long free = Files.getFileStore(dir).getUsableSpace();
            String detail = gib(free) + " free on the file system of " + dir;
            return free >= LOW_SPACE_BYTES ? Finding.ok("free space", detail)
                    : Finding.warn("free space", detail, "free some space, or move the data dir (--data-dir) to a larger disk: imports and copies need room for their chunks");
        } catch (IOException e) {
            return Finding.warn("free space", "cannot tell: " + reason(e), null);
        }
    }

    private List<Finding> database() {
        boolean embedded = config.dbUrl == null;
        // an embedded database that does not exist is reported, not created
        String url = embedded ? config.effectiveDbUrl() + ";IFEXISTS=TRUE" : config.dbUrl;
        String where = config.databaseDescription();
        DriverManager.setLoginTimeout(DB_TIMEOUT_SECONDS);
        try (Connection connection = DriverManager.getConnection(url, config.dbUser, config.dbPassword)) {
            List<Finding> findings = new ArrayList<>();
            findings.add(Finding.ok("database", where + " is reachable (" + connection.getMetaData().getDatabaseProductName()
                    + " " + connection.getMetaData().getDatabaseProductVersion() + ")"));
            findings.add(migrations(url));
            findings.add(embedded ? Finding.ok("clock", "the embedded database keeps this machine's clock")
                    : clock(connection));
            return findings;
        } catch (SQLException e) {
            if (embedded && e.getErrorCode() == H2_DATABASE_NOT_FOUND) {
                return List.of(Finding.ok("database", where + " does not exist yet: the first `bin/imagehub serve` creates and migrates it"));
            }
            if (embedded && e.getErrorCode() == H2_DATABASE_IN_USE) {
                return List.of(Finding.warn("database", where + " is open in a running imagehub (H2 allows one process)",
                        "stop that node to check its database, or ask it: curl " + "http://127.0.0.1:" + config.port + "/readyz"));
            }
            return List.of(Finding.fail("database", where + ": " + firstLine(e.getMessage()), databaseFix(e)));
        }
    }

    private Finding migrations(String url) {
        MigrationInfoService info = Flyway.configure().dataSource(url, config.dbUser, config.dbPassword)
                .locations("classpath:db/migration").load().info();
        MigrationInfo current = info.current();
        MigrationInfo[] pending = info.pending();
        String at = current == null ? "no schema yet" : "schema at version " + current.getVersion();
        if (Arrays.stream(info.all()).anyMatch(m -> m.getState().isFailed())) {
            return Finding.fail("migrations", at + ", and a migration failed", "see the flyway_schema_history table; restore the database from a backup");
        }
        if (Arrays.stream(info.all()).anyMatch(m -> m.getState() == org.flywaydb.core.api.MigrationState.FUTURE_SUCCESS)) {
            return Finding.fail("migrations", at + ", newer than this imagehub knows", "run the imagehub version that migrated this database, or a newer one");
        }
        if (pending.length > 0) {
            return Finding.warn("migrations", at + ", " + pending.length + " pending",
                    "`bin/imagehub serve` applies them when it starts (every node of a cluster must then run this version)");
        }
        return Finding.ok("migrations", at + ", up to date");
    }

    /** Job leases, share expiry and request signatures compare this machine's clock with the database's. */
    private Finding clock(Connection connection) {
        try (ResultSet rs = connection.createStatement().executeQuery("SELECT CURRENT_TIMESTAMP")) {
            rs.next();
            Instant before = Instant.now();
            Timestamp theirs = rs.getTimestamp(1);
            Duration apart = Duration.between(before, theirs.toInstant()).abs();
            String detail = "this machine and the database differ by " + apart.toMillis() + " ms";
            return apart.compareTo(CLOCK_TOLERANCE) <= 0 ? Finding.ok("clock", detail)
                    : Finding.warn("clock", detail, "synchronise both clocks with NTP (chrony or systemd-timesyncd): job leases and signed requests (±"
                            + config.clockSkewSeconds + " s) depend on them");
        } catch (SQLException e) {
            return Finding.warn("clock", "cannot read the database's clock: " + firstLine(e.getMessage()), null);
        }
    }

    private Finding chunkStore(String name, StoreConfig store) {
        String subject = "chunk store " + name;
        String location = store.location(config.dataDir);
        try {
            ChunkStore chunks = store.openChunkStore(config.dataDir);
            try {
                byte[] probe = new byte[64];
                new SecureRandom().nextBytes(probe);
                String sha256 = Tc3Signer.sha256Hex(probe);
                chunks.put(sha256, probe, probe.length);
                chunks.get(sha256);
                chunks.delete(sha256);
            } finally {
                if (chunks instanceof AutoCloseable closeable) {
                    closeable.close();
                }
            }
            return Finding.ok(subject, location + " is writable");
        } catch (Exception e) {
            String fix = store.isDirectory() ? writableFix(e, store.directoryPath(config.dataDir), "the store's `path`")
                    : "check the store's endpoint, bucket and keys in the configuration file (`stores`), and that the bucket exists";
            return Finding.fail(subject, location + ": " + reason(e), fix);
        }
    }

    private static Finding qemuImg() {
        String fix = "install it (Debian: apt-get install qemu-utils): ExportImages needs it to convert to QCOW2, VHD or VMDK";
        try {
            Process process = new ProcessBuilder("qemu-img", "--version").redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes()).trim();
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                return Finding.warn("qemu-img", "present but `qemu-img --version` failed: " + firstLine(output), fix);
            }
            return Finding.ok("qemu-img", firstLine(output));
        } catch (IOException e) {
            return Finding.warn("qemu-img", "not found on the PATH", fix);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Finding.warn("qemu-img", "interrupted", fix);
        }
    }

    private static void probeWrite(Path dir) throws IOException {
        Path probe = Files.createTempFile(dir, ".doctor-probe-", "");
        Files.delete(probe);
    }

    /** The operating system's reason, which says most of what to fix ("Read-only file system", "Permission denied"). */
    private static String reason(Throwable e) {
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason().toLowerCase() + " (" + fs.getFile() + ")";
        }
        return firstLine(String.valueOf(e.getMessage()));
    }

    private static String writableFix(Throwable e, Path dir, String setting) {
        String reason = e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason() : "";
        if (reason.contains("Read-only file system")) {
            return "that file system is mounted read-only: remount it read-write, or point " + setting + " at a writable disk";
        }
        if (e instanceof AccessDeniedException || reason.contains("Permission denied")) {
            return "let the user running imagehub (" + System.getProperty("user.name") + ") write there (chown/chmod " + dir
                    + "), or point " + setting + " elsewhere";
        }
        if (reason.contains("Operation not permitted")) {
            return "the directory is immutable or protected (lsattr -d " + dir + "; chattr -i), or point " + setting + " elsewhere";
        }
        if (e instanceof NotDirectoryException || reason.contains("Not a directory") || e instanceof java.nio.file.FileAlreadyExistsException) {
            return "part of " + dir + " is a file, not a directory: point " + setting + " at a directory";
        }
        return "make " + dir + " a writable directory, or point " + setting + " elsewhere";
    }

    private String databaseFix(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.startsWith("28")) {
            return "check --db-user and --db-password (or IMAGEHUB_DB_PASSWORD)";
        }
        if (state.equals("3D000")) {
            return "create the database (createdb), or correct its name in --db-url";
        }
        if (state.startsWith("08")) {
            return "start the database server, or correct --db-url (jdbc:postgresql://HOST:PORT/DATABASE); check that no firewall is in the way";
        }
        return "check --db-url (jdbc:postgresql://HOST:PORT/DATABASE), --db-user and --db-password";
    }

    private static String gib(long bytes) {
        return String.format("%.1f GiB", bytes / (double) (1L << 30));
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return (newline < 0 ? text : text.substring(0, newline)).trim();
    }
}
