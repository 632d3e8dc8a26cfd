package io.imagehub.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagehub.console.ConsoleSessions.Session;
import io.imagehub.domain.SecretCipher;
import io.imagehub.store.Database;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Console sessions in the database: what any node finds for a cookie, and when it stops finding it. */
class ConsoleSessionsTest {
    private static final Duration IDLE = Duration.ofMinutes(30);

    @TempDir
    static Path dir;
    private static Database database;
    private static MutableClock clock;
    private static ConsoleSessions sessions;

    /** A clock the test moves. */
    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-12-01T12:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    /** One database for the class (each test makes its own sessions). */
    @BeforeAll
    static void open() {
        database = new Database("jdbc:h2:file:" + dir.resolve("db") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                + "DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0", "", "", 2);
        clock = new MutableClock();
        byte[] key = new byte[32];
        new Random(1).nextBytes(key);
        sessions = new ConsoleSessions(database, new SecretCipher(key), clock, IDLE);
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @Test
    void anotherNodeOnTheSameDatabaseFindsTheSessionWithItsKeyAndToken() {
        Session made = sessions.create("100000000001", "AKIDexample0001", "the-secret-key", "ap-guangzhou", "en-US");
        byte[] key = new byte[32];
        new Random(1).nextBytes(key);
        ConsoleSessions otherNode = new ConsoleSessions(database, new SecretCipher(key), clock, IDLE);
        assertThat(otherNode.find(made.id())).contains(made);
        assertThat(made.toString()).doesNotContain("the-secret-key").doesNotContain(made.id());
    }

    @Test
    void theTableHoldsNeitherTheCookieNorTheKeyInTheClear() {
        Session made = sessions.create("100000000001", "AKIDexample0001", "the-secret-key", "ap-guangzhou", "en-US");
        String row = database.inTransaction(c -> {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT * FROM console_sessions")) {
                rs.next();
                StringBuilder all = new StringBuilder();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    all.append(rs.getString(i)).append('|');
                }
                return all.toString();
            }
        });
        assertThat(row).doesNotContain(made.id()).doesNotContain("the-secret-key");
    }

    @Test
    void anIdleSessionEndsAndAnActiveOneStays() {
        Session active = sessions.create("100000000001", "AKIDexample0001", "k1", "ap-guangzhou", "en-US");
        Session idle = sessions.create("100000000002", "AKIDexample0002", "k2", "ap-guangzhou", "en-US");
        for (int i = 0; i < 4; i++) {
            clock.advance(Duration.ofMinutes(10));
            assertThat(sessions.find(active.id())).isPresent();
        }
        assertThat(sessions.find(idle.id())).isEmpty(); // 40 minutes without a request
        clock.advance(IDLE.plusSeconds(1));
        assertThat(sessions.find(active.id())).isEmpty();
    }

    @Test
    void anAlteredOrForeignIdAndASignedOutSessionAreNoSession() {
        Session made = sessions.create("100000000001", "AKIDexample0001", "k1", "ap-guangzhou", "en-US");
        String id = made.id();
        String altered = id.substring(0, id.length() - 1) + (id.endsWith("A") ? "B" : "A");
        assertThat(sessions.find(altered)).isEmpty();
        assertThat(sessions.find("")).isEmpty();
        assertThat(sessions.find(id + "x")).isEmpty();
        assertThat(sessions.find("' OR 1=1 --")).isEmpty();
        sessions.delete(made);
        assertThat(sessions.find(id)).isEmpty();
    }

    @Test
    void regionAndLanguageChangesAreSeenByTheNextRequest() {
        Session made = sessions.create("100000000001", "AKIDexample0001", "k1", "ap-guangzhou", "en-US");
        sessions.update(made, "ap-shanghai", "zh-CN");
        Session found = sessions.find(made.id()).orElseThrow();
        assertThat(found.region()).isEqualTo("ap-shanghai");
        assertThat(found.language()).isEqualTo("zh-CN");
        assertThat(found.csrfToken()).isEqualTo(made.csrfToken());
    }
}
