package io.imagehub.store;

import io.imagehub.domain.AccountRepository;
import io.imagehub.domain.AuditLog;
import io.imagehub.domain.ImageRepository;
import io.imagehub.domain.InstanceRepository;
import io.imagehub.domain.JobRepository;
import io.imagehub.domain.ShareRepository;
import io.imagehub.domain.Transactions;
import io.imagehub.domain.WebhookRepository;
import java.sql.Connection;
import java.util.function.Function;

/** {@link Transactions} over JDBC: one connection per unit of work, every repository bound to it. */
public final class JdbcTransactions implements Transactions {
    private final Database database;

    public JdbcTransactions(Database database) {
        this.database = database;
    }

    @Override
    public <T> T run(Function<UnitOfWork, T> work) {
        return database.inTransaction(connection -> {
            ListingChanges listingChanges = new ListingChanges();
            T result = work.apply(new JdbcUnitOfWork(connection, listingChanges));
            listingChanges.bump(new Sql(connection));
            return result;
        });
    }

    private record JdbcUnitOfWork(Connection connection, ListingChanges listingChanges) implements UnitOfWork {
        @Override
        public ImageRepository images() {
            return new JdbcImageRepository(connection, listingChanges);
        }

        @Override
        public ShareRepository shares() {
            return new JdbcShareRepository(connection, listingChanges);
        }

        @Override
        public AccountRepository accounts() {
            return new JdbcAccountRepository(connection);
        }

        @Override
        public AuditLog audit() {
            return new JdbcAuditLog(connection);
        }

        @Override
        public JobRepository jobs() {
            return new JdbcJobRepository(connection);
        }

        @Override
        public InstanceRepository instances() {
            return new JdbcInstanceRepository(connection);
        }

        @Override
        public WebhookRepository webhooks() {
            return new JdbcWebhookRepository(connection);
        }
    }
}
