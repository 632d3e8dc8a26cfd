package io.imagehub.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagehub.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An acknowledged commit is in the database file: a copy of the file taken the moment {@code inTransaction}
 * returns (what a killed process would leave behind) already holds it, although the embedded URL lets H2's own
 * writer wait a second. The group commit stores and fsyncs before it returns (docs/adr/0007-durability.md).
 */
class DurableCommitTest {
    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedCommitIsInTheFileBeforeInTransactionReturns() throws Exception {
        ServerConfig config = new ServerConfig();
        config.dataDir = dir.resolve("data");
        Path file = config.dataDir.resolve("db").resolve("imagehub.mv.db").toAbsolutePath();
        try (Database database = new Database(config.effectiveDbUrl(), "", "", 8)) {
            ExecutorService writers = Executors.newFixedThreadPool(8);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String id = "acct-" + i;
                done.add(writers.submit((Callable<Void>) () -> {
                    insertAccount(database, id);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            writers.shutdown();
            insertAccount(database, "last");
            Path copy = dir.resolve("copy").resolve("imagehub.mv.db");
            Files.createDirectories(copy.getParent());
            Files.copy(file, copy);

            assertThat(accountsIn(copy)).hasSize(41).contains("last", "acct-0", "acct-39");
        }
    }

    private static void insertAccount(Database database, String name) {
        database.inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                return s.executeUpdate("INSERT INTO accounts (account_id, name, created_at) VALUES ('" + name
                        + "', '" + name + "', CURRENT_TIMESTAMP)");
            }
        });
    }

    private static List<String> accountsIn(Path mvFile) throws Exception {
        String base = mvFile.toString().substring(0, mvFile.toString().length() - ".mv.db".length());
        List<String> names = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + base + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE",
                "", ""); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name FROM accounts")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
