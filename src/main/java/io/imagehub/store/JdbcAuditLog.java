package io.imagehub.store;

import io.imagehub.domain.AuditEvent;
import io.imagehub.domain.AuditLog;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

final class JdbcAuditLog implements AuditLog {
    private final Sql sql;

    JdbcAuditLog(Connection connection) {
        this.sql = new Sql(connection);
    }

    @Override
    public void append(AuditEvent e) {
        String accounts = String.join(",", e.accounts()); // fits: the API admits at most 100 ids of <= 20 digits
        String detail = e.detail() == null || e.detail().length() <= 1024 ? e.detail() : e.detail().substring(0, 1024);
        sql.update("INSERT INTO audit_events (at, request_id, actor_id, action, image_id, accounts, outcome, detail) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                e.at(), e.requestId(), e.actorId(), e.action(), e.imageId(), accounts, e.outcome(), detail);
    }

    @Override
    public List<AuditEvent> query(String imageId, String accountId, int limit) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (imageId != null) {
            where.append(" AND image_id = ?");
            params.add(imageId);
        }
        if (accountId != null) {
            // whole entries of the comma-separated list: account 10000 must not match 100000000000
            where.append(" AND (actor_id = ? OR ',' || accounts || ',' LIKE ?)");
            params.add(accountId);
            params.add("%," + accountId + ",%");
        }
        params.add(limit);
        return sql.query("SELECT event_id, at, request_id, actor_id, action, image_id, accounts, outcome, detail "
                + "FROM audit_events" + where + " ORDER BY event_id DESC LIMIT ?", JdbcAuditLog::row, params.toArray());
    }

    private static AuditEvent row(ResultSet rs) throws SQLException {
        String accounts = rs.getString("accounts");
        return new AuditEvent(rs.getLong("event_id"), Sql.instant(rs, "at"), rs.getString("request_id"),
                rs.getString("actor_id"), rs.getString("action"), rs.getString("image_id"),
                accounts == null || accounts.isEmpty() ? List.of() : Arrays.asList(accounts.split(",")),
                rs.getString("outcome"), rs.getString("detail"));
    }
}
