package io.imagehub.app;

import io.imagehub.api.Tc3Signer;
import io.imagehub.blob.ChunkStore;
import io.imagehub.blob.ChunkStores;
import io.imagehub.store.Database;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code /readyz} checks: the database answers and every chunk store answers. At start every store is probed
 * with a write, a read and a delete (as distribution's storage factory does), so that a store with wrong
 * credentials stops the node at once instead of failing its first import.
 */
final class Readiness {
    private static final Logger LOG = LoggerFactory.getLogger(Readiness.class);
    /** Unique to this node: nodes starting together on one store must not delete each other's probe mid-way. */
    private final byte[] probe = ("imagehub readiness probe " + UUID.randomUUID() + "\n").getBytes(StandardCharsets.UTF_8);
    private final String probeSha256 = Tc3Signer.sha256Hex(probe);
    private static final int DATABASE_TIMEOUT_SECONDS = 2;

    private final Database database;
    private final ChunkStores stores;

    Readiness(Database database, ChunkStores stores) {
        this.database = database;
        this.stores = stores;
    }

    /** Writes, reads back and deletes a probe chunk in every store; throws if any store cannot. */
    void probeStores() throws IOException {
        for (ChunkStore store : stores.distinct()) {
            store.put(probeSha256, probe, probe.length);
            if (!Arrays.equals(store.get(probeSha256), probe)) {
                throw new IOException("the chunk store " + store + " did not return the probe it stored");
            }
            store.delete(probeSha256);
        }
    }

    /** Whether the database and every store answer now; says in the log what does not. */
    boolean check() {
        try (Connection c = database.dataSource().getConnection()) {
            if (!c.isValid(DATABASE_TIMEOUT_SECONDS)) {
                LOG.warn("not ready: the database does not answer");
                return false;
            }
        } catch (SQLException e) {
            LOG.warn("not ready: no database connection: {}", e.getMessage());
            return false;
        }
        for (ChunkStore store : stores.distinct()) {
            try {
                store.contains(probeSha256);
            } catch (IOException | RuntimeException e) {
                LOG.warn("not ready: the chunk store {} does not answer: {}", store, e.getMessage());
                return false;
            }
        }
        return true;
    }
}
