package io.imagehub.console;

import io.imagehub.api.Tc3Signer;
import io.imagehub.domain.SecretCipher;
import io.imagehub.store.Database;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Console sessions, kept in the database so that every node behind a load balancer knows them (docs/console.md).
 * The cookie holds 32 random bytes; the table holds their SHA-256, the SecretKey sealed under the master key, and
 * the session's CSRF token. A session that makes no request for the idle timeout is gone.
 */
public final class ConsoleSessions {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** 32 random bytes, base64url without padding: anything else in a cookie is not ours and is not looked up. */
    private static final Pattern ID_SHAPE = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final Database database;
    private final SecretCipher cipher;
    private final Clock clock;
    private final Duration idle;
    /** last_seen is rewritten at most this often per session, not on every page view. */
    private final long touchEveryMs;

    /** A signed-in user. {@code secretKey} signs the API calls made for them and never leaves the server. */
    public record Session(String id, String accountId, String secretId, String secretKey, String csrfToken,
                          String region, String language) {
        @Override
        public String toString() {
            return "Session[account=" + accountId + ", region=" + region + "]";
        }
    }

    public ConsoleSessions(Database database, SecretCipher cipher, Clock clock, Duration idle) {
        this.database = database;
        this.cipher = cipher;
        this.clock = clock;
        this.idle = idle;
        this.touchEveryMs = Math.min(60_000, idle.toMillis() / 2);
    }

    public Duration idleTimeout() {
        return idle;
    }

    public Session create(String accountId, String secretId, String secretKey, String region, String language) {
        String id = randomToken();
        String idHash = hash(id);
        Session session = new Session(id, accountId, secretId, secretKey, randomToken(), region, language);
        long now = clock.millis();
        database.inTransaction(c -> {
            try (PreparedStatement expired = c.prepareStatement("DELETE FROM console_sessions WHERE last_seen_ms < ?")) {
                expired.setLong(1, now - idle.toMillis());
                expired.executeUpdate();
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO console_sessions (id_hash, account_id, "
                    + "secret_id, secret_sealed, csrf_token, region, language, created_ms, last_seen_ms) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, idHash);
                insert.setString(2, accountId);
                insert.setString(3, secretId);
                insert.setString(4, cipher.encrypt(idHash, secretKey));
                insert.setString(5, session.csrfToken());
                insert.setString(6, region);
                insert.setString(7, language);
                insert.setLong(8, now);
                insert.setLong(9, now);
                insert.executeUpdate();
            }
            return null;
        });
        return session;
    }

    /** The live session whose id the cookie carries, if any; an idle one is ended here. */
    public Optional<Session> find(String id) {
        if (id == null || !ID_SHAPE.matcher(id).matches()) {
            return Optional.empty();
        }
        String idHash = hash(id);
        long now = clock.millis();
        return database.inTransaction(c -> {
            Session session;
            long lastSeen;
            try (PreparedStatement select = c.prepareStatement("SELECT account_id, secret_id, secret_sealed, "
                    + "csrf_token, region, language, last_seen_ms FROM console_sessions WHERE id_hash = ?")) {
                select.setString(1, idHash);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<Session>empty();
                    }
                    session = new Session(id, rs.getString(1), rs.getString(2),
                            cipher.decrypt(idHash, rs.getString(3)), rs.getString(4), rs.getString(5),
                            rs.getString(6));
                    lastSeen = rs.getLong(7);
                }
            }
            if (now - lastSeen > idle.toMillis()) {
                delete(c, idHash);
                return Optional.<Session>empty();
            }
            if (now - lastSeen > touchEveryMs) {
                try (PreparedStatement touch = c.prepareStatement(
                        "UPDATE console_sessions SET last_seen_ms = ? WHERE id_hash = ?")) {
                    touch.setLong(1, now);
                    touch.setString(2, idHash);
                    touch.executeUpdate();
                }
            }
            return Optional.of(session);
        });
    }

    /** The session with another region and language (what the header's selectors change). */
    public Session update(Session session, String region, String language) {
        database.inTransaction(c -> {
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE console_sessions SET region = ?, language = ? WHERE id_hash = ?")) {
                update.setString(1, region);
                update.setString(2, language);
                update.setString(3, hash(session.id()));
                update.executeUpdate();
            }
            return null;
        });
        return new Session(session.id(), session.accountId(), session.secretId(), session.secretKey(),
                session.csrfToken(), region, language);
    }

    /** Sign-out: the id stops working on every node at once. */
    public void delete(Session session) {
        database.inTransaction(c -> {
            delete(c, hash(session.id()));
            return null;
        });
    }

    private static void delete(Connection c, String idHash) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM console_sessions WHERE id_hash = ?")) {
            delete.setString(1, idHash);
            delete.executeUpdate();
        }
    }

    private static String hash(String id) {
        return Tc3Signer.sha256Hex(id.getBytes(StandardCharsets.US_ASCII));
    }

    static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
