package io.imagehub.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

/** The repository contract on a real PostgreSQL server, one fresh database per test. */
class PostgresRepositoryTest extends RepositoryContract {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        postgres.close();
    }

    @Override
    protected Database openDatabase() throws SQLException {
        return new Database(postgres.getJdbcUrl("postgres", createDatabase()), "postgres", "", 4);
    }

    private static String createDatabase() throws SQLException {
        String name = "contract" + DATABASES.incrementAndGet();
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            c.createStatement().execute("CREATE DATABASE " + name);
        }
        return name;
    }

    /** The instance store on the same database. */
    @Nested
    class Instances extends InstanceRepositoryContract {
        @Override
        protected Database openDatabase() throws Exception {
            return PostgresRepositoryTest.this.openDatabase();
        }
    }

    /** The signature v1 nonce ledger, two pools (two nodes) on one database. */
    @Nested
    class Nonces extends NonceLedgerContract {
        @Override
        protected Database[] openTwoNodes() throws SQLException {
            String url = postgres.getJdbcUrl("postgres", createDatabase());
            return new Database[] {new Database(url, "postgres", "", 4), new Database(url, "postgres", "", 4)};
        }
    }
}
