package io.imagehub.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The signature v1 nonce ledger on H2 and PostgreSQL (a nested suite of both repository tests): two nodes, each
 * with its own connection pool on one database, accept a (SecretId, Nonce) pair once until it expires.
 */
abstract class NonceLedgerContract {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private Database nodeA;
    private Database nodeB;
    private JdbcNonceLedger ledgerA;
    private JdbcNonceLedger ledgerB;

    /** Two independent pools on one fresh database. */
    protected abstract Database[] openTwoNodes() throws Exception;

    @BeforeEach
    void open() throws Exception {
        Database[] nodes = openTwoNodes();
        nodeA = nodes[0];
        nodeB = nodes[1];
        ledgerA = new JdbcNonceLedger(nodeA);
        ledgerB = new JdbcNonceLedger(nodeB);
    }

    @AfterEach
    void close() {
        nodeA.close();
        nodeB.close();
    }

    @Test
    void aNonceIsAcceptedOnceOnAnyNodeUntilItExpires() {
        Instant expires = NOW.plusSeconds(300);
        assertThat(ledgerA.firstUse("AKIDalice", "11886", expires, NOW)).isTrue();
        assertThat(ledgerB.firstUse("AKIDalice", "11886", expires, NOW.plusSeconds(10))).isFalse();
        assertThat(ledgerA.firstUse("AKIDalice", "11886", expires, NOW.plusSeconds(300))).isFalse();

        assertThat(ledgerB.firstUse("AKIDalice", "11887", expires, NOW)).isTrue();
        assertThat(ledgerB.firstUse("AKIDbob", "11886", expires, NOW)).isTrue();

        assertThat(ledgerB.firstUse("AKIDalice", "11886", NOW.plusSeconds(900), NOW.plusSeconds(301))).isTrue();
        assertThat(ledgerA.firstUse("AKIDalice", "11886", NOW.plusSeconds(900), NOW.plusSeconds(302))).isFalse();
    }

    @Test
    void ofConcurrentUsesOnTwoNodesExactlyOneWins() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> uses = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                JdbcNonceLedger ledger = i % 2 == 0 ? ledgerA : ledgerB;
                uses.add(() -> ledger.firstUse("AKIDalice", "4242", NOW.plusSeconds(300), NOW));
            }
            int won = 0;
            for (Future<Boolean> use : pool.invokeAll(uses)) {
                won += use.get() ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
        } finally {
            pool.shutdown();
        }
    }
}
