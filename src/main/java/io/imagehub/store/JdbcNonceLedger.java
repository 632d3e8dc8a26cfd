package io.imagehub.store;

import io.imagehub.domain.NonceLedger;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The nonce ledger as a table of the shared database: the primary key makes the first of two concurrent uses win on
 * any node (the second insert waits for the first and then does nothing). Expired rows are purged every
 * {@value #PURGE_EVERY} uses on a node, so the table holds about one window of traffic.
 */
public final class JdbcNonceLedger implements NonceLedger {
    private static final int PURGE_EVERY = 1024;
    private final Database database;
    private final AtomicLong uses = new AtomicLong();

    public JdbcNonceLedger(Database database) {
        this.database = database;
    }

    @Override
    public boolean firstUse(String secretId, String nonce, Instant expiresAt, Instant now) {
        boolean purge = uses.incrementAndGet() % PURGE_EVERY == 0;
        return database.inTransaction(c -> {
            Sql sql = new Sql(c);
            if (purge) {
                sql.update("DELETE FROM signature_nonces WHERE expires_s < ?", now.getEpochSecond());
            } else {
                sql.update("DELETE FROM signature_nonces WHERE secret_id = ? AND nonce = ? AND expires_s < ?",
                        secretId, nonce, now.getEpochSecond());
            }
            return sql.update("INSERT INTO signature_nonces (secret_id, nonce, expires_s) VALUES (?, ?, ?) "
                    + "ON CONFLICT DO NOTHING", secretId, nonce, expiresAt.getEpochSecond()) > 0;
        });
    }
}
