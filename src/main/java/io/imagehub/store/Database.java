package io.imagehub.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;

/**
 * The metadata store: a pooled DataSource over H2 or PostgreSQL with the schema migrated by Flyway,
 * and the one way to run work in a transaction.
 *
 * <p>A commit is acknowledged only once it is on the device. PostgreSQL does that itself (synchronous_commit). An
 * embedded H2 file database never forces its file, so a transaction that changed something waits for a group
 * commit ({@link GroupSync}): one writer stores every transaction committed so far as one MVStore chunk and forces
 * the file, for all of them at once (docs/adr/0007-durability.md).
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;
    /** Null unless this is an embedded H2 file database. */
    private final GroupSync h2Sync;

    @FunctionalInterface
    public interface TransactionWork<T> {
        T run(Connection connection) throws SQLException;
    }

    public Database(String jdbcUrl, String user, String password, int poolSize) {
        this(jdbcUrl, user, password, poolSize, null);
    }

    /** {@code meters}, if not null, receives HikariCP's pool metrics (connections active, idle, pending, waits). */
    public Database(String jdbcUrl, String user, String password, int poolSize, MeterRegistry meters) {
        HikariConfig config = new HikariConfig();
        if (meters != null) {
            config.setMetricRegistry(meters);
        }
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setAutoCommit(false);
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        config.setPoolName("imagehub-db");
        this.dataSource = new HikariDataSource(config);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        this.h2Sync = jdbcUrl.startsWith("jdbc:h2:file:") ? new GroupSync(storeAndForce(h2Store())) : null;
    }

    /** Writes the changes of every transaction committed so far to the file (one chunk), then fsyncs it. */
    private static GroupSync.Force storeAndForce(MVStore store) {
        return () -> {
            store.commit();
            store.sync();
        };
    }

    /** The embedded H2 database's store; it stays open as long as the pool holds connections. */
    private MVStore h2Store() {
        try (Connection c = dataSource.getConnection()) {
            return h2Session(c).getDatabase().getStore().getMvStore();
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    private static SessionLocal h2Session(Connection c) throws SQLException {
        return (SessionLocal) c.unwrap(JdbcConnection.class).getSession();
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. */
    public <T> T inTransaction(TransactionWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            try {
                T result = work.run(c);
                boolean changed = h2Sync != null && h2Session(c).hasPendingTransaction();
                c.commit();
                if (changed) {
                    h2Sync.awaitDurable();
                }
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
