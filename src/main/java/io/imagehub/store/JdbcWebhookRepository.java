package io.imagehub.store;

import io.imagehub.domain.Webhook;
import io.imagehub.domain.WebhookDelivery;
import io.imagehub.domain.WebhookRepository;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

final class JdbcWebhookRepository implements WebhookRepository {
    private static final String HOOK_COLUMNS = "SELECT webhook_id, account_id, url, event_types, created_at FROM webhooks";
    private static final String DELIVERY_COLUMNS = "SELECT delivery_id, webhook_id, event_id, event_type, body, state, "
            + "attempts, last_status, last_error, created_at, last_attempt_at FROM webhook_deliveries";
    private static final int MAX_ERROR = 512;

    private final Sql sql;

    JdbcWebhookRepository(Connection connection) {
        this.sql = new Sql(connection);
    }

    @Override
    public void insert(Webhook webhook, String secretEncrypted) {
        sql.update("INSERT INTO webhooks (webhook_id, account_id, url, secret_enc, event_types, created_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?)", webhook.webhookId(), webhook.accountId(), webhook.url(),
                secretEncrypted, String.join(",", webhook.eventTypes().stream().sorted().toList()), webhook.createdAt());
    }

    @Override
    public Optional<Webhook> find(String webhookId) {
        return sql.queryOne(HOOK_COLUMNS + " WHERE webhook_id = ?", JdbcWebhookRepository::hook, webhookId);
    }

    @Override
    public Optional<String> secret(String webhookId) {
        return sql.queryOne("SELECT secret_enc FROM webhooks WHERE webhook_id = ?", rs -> rs.getString(1), webhookId);
    }

    @Override
    public List<Webhook> list(String accountId) {
        return sql.query(HOOK_COLUMNS + " WHERE account_id = ? ORDER BY created_at, webhook_id",
                JdbcWebhookRepository::hook, accountId);
    }

    @Override
    public int count(String accountId) {
        return (int) sql.queryLong("SELECT COUNT(*) FROM webhooks WHERE account_id = ?", accountId);
    }

    @Override
    public boolean delete(String webhookId) {
        return sql.update("DELETE FROM webhooks WHERE webhook_id = ?", webhookId) > 0;
    }

    @Override
    public List<Webhook> ofAccounts(Collection<String> accountIds) {
        if (accountIds.isEmpty()) {
            return List.of();
        }
        return sql.query(HOOK_COLUMNS + " WHERE account_id IN (" + Sql.placeholders(accountIds.size()) + ")",
                JdbcWebhookRepository::hook, accountIds.toArray());
    }

    @Override
    public long insertDelivery(String webhookId, String eventId, String eventType, String body, Instant at) {
        return sql.insertReturningId("INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, body, state, "
                        + "attempts, created_at) VALUES (?, ?, ?, ?, '" + WebhookDelivery.PENDING + "', 0, ?)",
                "delivery_id", webhookId, eventId, eventType, body, at);
    }

    @Override
    public Optional<WebhookDelivery> delivery(long deliveryId) {
        return sql.queryOne(DELIVERY_COLUMNS + " WHERE delivery_id = ?", JdbcWebhookRepository::delivery, deliveryId);
    }

    @Override
    public void recordAttempt(long deliveryId, String state, Integer status, String error, Instant at) {
        String bounded = error == null || error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR);
        sql.update("UPDATE webhook_deliveries SET state = ?, attempts = attempts + 1, last_status = ?, last_error = ?, "
                + "last_attempt_at = ? WHERE delivery_id = ?", state, status, bounded, at, deliveryId);
    }

    @Override
    public List<WebhookDelivery> deliveries(String webhookId, int limit) {
        return sql.query(DELIVERY_COLUMNS + " WHERE webhook_id = ? ORDER BY delivery_id DESC LIMIT ?",
                JdbcWebhookRepository::delivery, webhookId, limit);
    }

    private static Webhook hook(ResultSet rs) throws SQLException {
        String types = rs.getString(4);
        return new Webhook(rs.getString(1), rs.getString(2), rs.getString(3),
                types.isEmpty() ? Set.of() : Set.copyOf(Arrays.asList(types.split(","))), Sql.instant(rs, 5));
    }

    private static WebhookDelivery delivery(ResultSet rs) throws SQLException {
        int status = rs.getInt(8);
        return new WebhookDelivery(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getInt(7), rs.wasNull() ? null : status, rs.getString(9), Sql.instant(rs, 10),
                Sql.instant(rs, 11));
    }
}
