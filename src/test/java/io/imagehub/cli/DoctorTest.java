package io.imagehub.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.imagehub.Main;
import io.imagehub.it.TestServer;
import io.imagehub.store.Database;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DoctorTest {
    private Path dataDir;

    @BeforeEach
    void freshDataDir() throws IOException {
        dataDir = Files.createTempDirectory("imagehub-doctor");
    }

    @AfterEach
    void removeDataDir() throws IOException {
        TestServer.deleteTree(dataDir);
    }

    @Test
    void aFreshDataDirPassesAndTheDatabaseIsCreatedOnlyByServe() {
        Result result = doctor("--data-dir", dataDir.toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("ok    data dir", "ok    chunk store default",
                "does not exist yet: the first `bin/imagehub serve` creates and migrates it");
        assertThat(dataDir.resolve("db")).doesNotExist();
    }

    @Test
    void anUnreachableDatabaseIsAFailureThatPointsAtTheDbUrl() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Result result = doctor("--data-dir", dataDir.toString(),
                "--db-url", "jdbc:postgresql://127.0.0.1:" + closedPort + "/imagehub", "--db-user", "imagehub");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output())
                .contains("fail  database             jdbc:postgresql://127.0.0.1:" + closedPort + "/imagehub: ")
                .contains("fix: start the database server, or correct --db-url (jdbc:postgresql://HOST:PORT/DATABASE)")
                .contains("ok    data dir");
    }

    @Test
    void aReachablePostgresqlIsCheckedForPendingMigrationsAndItsClock() throws IOException {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start()) {
            String url = postgres.getJdbcUrl("postgres", "postgres");
            Result fresh = doctor("--data-dir", dataDir.toString(), "--db-url", url, "--db-user", "postgres");
            assertThat(fresh.exitCode()).as(fresh.output()).isZero();
            assertThat(fresh.output()).contains("ok    database", "(PostgreSQL ")
                    .contains("warn  migrations           no schema yet, ")
                    .contains("fix: `bin/imagehub serve` applies them when it starts")
                    .containsPattern("ok    clock +this machine and the database differ by \\d+ ms");

            new Database(url, "postgres", "", 2).close(); // what serve does first: migrate
            Result migrated = doctor("--data-dir", dataDir.toString(), "--db-url", url, "--db-user", "postgres");
            assertThat(migrated.output()).containsPattern("ok    migrations +schema at version \\d+, up to date");
        }
    }

    /**
     * Tests run as root, for whom permission bits do not stop a write (a chmod 555 directory is still writable). A
     * read-only bind mount does: the doctor runs as a child process in a private mount namespace
     * ({@code unshare -m}) in which the data dir is mounted read-only; nothing outside that process sees the mount.
     */
    @Test
    void aReadOnlyDataDirIsAFailureWithTheRemountAdvice() throws Exception {
        assumeTrue(canMountReadOnly(), "needs unshare -m and mount (root, as on CI)");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process doctor = new ProcessBuilder("unshare", "-m", "sh", "-c",
                "mount --bind -o ro \"$1\" \"$1\" && exec \"$2\" -cp \"$3\" io.imagehub.Main doctor --data-dir \"$1\"",
                "sh", dataDir.toString(), java, System.getProperty("java.class.path"))
                .redirectErrorStream(true).start();
        String output = new String(doctor.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(doctor.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(doctor.exitValue()).as(output).isEqualTo(1);
        assertThat(output).contains("fail  data dir             " + dataDir + ": read-only file system")
                .contains("fix: that file system is mounted read-only: remount it read-write, or point --data-dir at a writable disk")
                .contains("fail  chunk store default");
    }

    private static boolean canMountReadOnly() throws InterruptedException {
        try {
            Path probe = Files.createTempDirectory("imagehub-ro-probe");
            try {
                Process p = new ProcessBuilder("unshare", "-m", "sh", "-c",
                        "mount --bind -o ro \"$1\" \"$1\" && ! touch \"$1/x\" 2>/dev/null", "sh", probe.toString())
                        .redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
            } finally {
                TestServer.deleteTree(probe);
            }
        } catch (IOException e) {
            return false;
        }
    }

    record Result(int exitCode, String output) {
    }

    private static Result doctor(String... args) {
        StringWriter out = new StringWriter();
        CommandLine command = new CommandLine(new Main());
        command.setOut(new PrintWriter(out));
        int exitCode = command.execute(concat("doctor", args));
        return new Result(exitCode, out.toString());
    }

    private static String[] concat(String first, String... rest) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(first), java.util.Arrays.stream(rest))
                .toArray(String[]::new);
    }
}
