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
    /** What the last check found wrong (null: nothing); only a different one is logged again. */
    private volatile Problem lastProblem;

    /** What keeps the node from being ready: {@code what} is stable from one check to the next, {@code why} is not. */
    private record Problem(String what, String why) {
    }

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

    /**
     * Whether the database and every store answer now. Says in the log what does not, once when it starts and once
     * when it ends (a load balancer checks every few seconds).
     */
    boolean check() {
        Problem problem = problem();
        Problem previous = lastProblem;
        lastProblem = problem;
        if (problem != null && (previous == null || !problem.what().equals(previous.what()))) {
            LOG.warn("not ready: {}: {}", problem.what(), problem.why());
        } else if (problem == null && previous != null) {
            LOG.warn("ready again");
        }
        return problem == null;
    }

    /** What keeps the node from being ready, or null. */
    private Problem problem() {
        try (Connection c = database.dataSource().getConnection()) {
            if (!c.isValid(DATABASE_TIMEOUT_SECONDS)) {
                return new Problem("the database does not answer", "no answer within " + DATABASE_TIMEOUT_SECONDS + " s");
            }
        } catch (SQLException e) {
            return new Problem("no database connection", e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
        }
        for (ChunkStore store : stores.distinct()) {
            try {
                store.contains(probeSha256);
            } catch (IOException | RuntimeException e) {
                return new Problem("the chunk store " + store + " does not answer", e.getMessage());
            }
        }
        return null;
    }
}
