package io.imagehub.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.imagehub.domain.UnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata store: a pooled DataSource over H2 or PostgreSQL with the schema migrated by Flyway,
 * and the one way to run work in a transaction.
 *
 * <p>A commit is acknowledged only once it is on the device. PostgreSQL does that itself (synchronous_commit). An
 * embedded H2 file database never forces its file, so a transaction that changed something waits for a group
 * commit ({@link GroupSync}): one writer stores every transaction committed so far as one MVStore chunk and forces
 * the file, for all of them at once (docs/adr/0007-durability.md).
 *
 * <p>Every wait on the database is bounded ({@link Timeouts}): when it is down or unreachable a transaction fails
 * within the connection timeout with an {@link UnavailableException}, and the pool reconnects by itself once it
 * answers again. The outage is logged once when it begins and once when it ends (docs/operations.md).
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    /**
     * SQLSTATEs that say the database (not the statement) failed: class 08 (connection exceptions) is checked apart;
     * PostgreSQL's admin/crash shutdown, "cannot connect now" (starting up), too many connections, and a statement
     * cancelled by statement_timeout.
     */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03", "53300", "57014");

    /**
     * How long a transaction may wait for a pooled connection (also the TCP connect and login timeout of a new one),
     * and how long one statement may run (PostgreSQL: statement_timeout, and a socket read timeout a little longer,
     * so that a database that vanished without closing its connections cannot hold a thread).
     */
    public record Timeouts(Duration connection, Duration statement) {
        public static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    private final HikariDataSource dataSource;
    /** Null unless this is an embedded H2 file database. */
    private final GroupSync h2Sync;
    /** When the current outage began (the first transaction that could not reach the database); null when none. */
    private final AtomicReference<Instant> unavailableSince = new AtomicReference<>();

    @FunctionalInterface
    public interface TransactionWork<T> {
        T run(Connection connection) throws SQLException;
    }

    public Database(String jdbcUrl, String user, String password, int poolSize) {
        this(jdbcUrl, user, password, poolSize, null);
    }

    /** {@code meters}, if not null, receives HikariCP's pool metrics (connections active, idle, pending, waits). */
    public Database(String jdbcUrl, String user, String password, int poolSize, MeterRegistry meters) {
        this(jdbcUrl, user, password, poolSize, meters, Timeouts.DEFAULT);
    }

    public Database(String jdbcUrl, String user, String password, int poolSize, MeterRegistry meters,
                    Timeouts timeouts) {
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
        config.setConnectionTimeout(timeouts.connection().toMillis());
        config.setValidationTimeout(Math.min(timeouts.connection().toMillis(), 2000));
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            long connectSeconds = Math.max(1, timeouts.connection().toSeconds());
            config.addDataSourceProperty("connectTimeout", connectSeconds);
            config.addDataSourceProperty("loginTimeout", connectSeconds);
            config.addDataSourceProperty("socketTimeout", timeouts.statement().toSeconds() + 5);
            config.addDataSourceProperty("tcpKeepAlive", true);
            // a parameter of the same name in the URL wins over these (pgjdbc reads the URL last)
            config.addDataSourceProperty("options", "-c statement_timeout=" + timeouts.statement().toMillis());
        }
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

    /**
     * Runs {@code work} in one transaction: committed if it returns, rolled back if it throws.
     *
     * @throws UnavailableException when the database cannot be reached (the work is not applied)
     */
    public <T> T inTransaction(TransactionWork<T> work) {
        T result;
        try (Connection c = dataSource.getConnection()) {
            try {
                result = work.run(c);
                boolean changed = h2Sync != null && h2Session(c).hasPendingTransaction();
                c.commit();
                if (changed) {
                    h2Sync.awaitDurable();
                }
            } catch (SQLException | RuntimeException e) {
                rollback(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw isUnavailability(e) ? unavailable(e) : new StoreException(e);
        } catch (StoreException e) {
            throw isUnavailability(e) ? unavailable(e) : e;
        }
        reachable();
        return result;
    }

    /** Rolls back after {@code failure}; on a broken connection the rollback fails too, and the failure is what counts. */
    private static void rollback(Connection c, Exception failure) {
        try {
            c.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /** True when {@code failure} or one of its causes says the database could not be reached or stopped serving. */
    static boolean isUnavailability(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLRecoverableException
                    || t instanceof SQLTimeoutException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || UNAVAILABLE_STATES.contains(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    private UnavailableException unavailable(Exception cause) {
        if (unavailableSince.compareAndSet(null, Instant.now())) {
            LOG.warn("the database cannot be reached ({}): calls answer ServiceUnavailable and jobs wait until it "
                    + "answers again", cause.getMessage());
        }
        return new UnavailableException("the database cannot be reached", cause);
    }

    /** Ends the current outage, if any, saying how long it lasted. */
    private void reachable() {
        Instant since = unavailableSince.get();
        if (since != null && unavailableSince.compareAndSet(since, null)) {
            LOG.warn("the database answers again, after {} s", Duration.between(since, Instant.now()).toSeconds());
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
