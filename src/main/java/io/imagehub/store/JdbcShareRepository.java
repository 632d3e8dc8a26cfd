package io.imagehub.store;

import io.imagehub.domain.Share;
import io.imagehub.domain.ShareRepository;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

final class JdbcShareRepository implements ShareRepository {
    private static final String COLUMNS = "SELECT image_id, account_id, created_at, expires_at, declined_at FROM image_shares";

    private final Sql sql;
    private final ListingChanges listingChanges;

    JdbcShareRepository(Connection connection, ListingChanges listingChanges) {
        this.sql = new Sql(connection);
        this.listingChanges = listingChanges;
    }

    @Override
    public boolean exists(String imageId, String accountId) {
        return sql.queryLong("SELECT COUNT(*) FROM image_shares WHERE image_id = ? AND account_id = ?", imageId, accountId) > 0;
    }

    @Override
    public Optional<Share> find(String imageId, String accountId) {
        return sql.queryOne(COLUMNS + " WHERE image_id = ? AND account_id = ?", JdbcShareRepository::row, imageId, accountId);
    }

    @Override
    public List<Share> list(String imageId) {
        return sql.query(COLUMNS + " WHERE image_id = ? ORDER BY created_at, account_id", JdbcShareRepository::row, imageId);
    }

    @Override
    public int count(String imageId) {
        return (int) sql.queryLong("SELECT COUNT(*) FROM image_shares WHERE image_id = ?", imageId);
    }

    @Override
    public boolean add(String imageId, String accountId, Instant at) {
        boolean added = sql.update("INSERT INTO image_shares (image_id, account_id, created_at) VALUES (?, ?, ?) "
                + "ON CONFLICT DO NOTHING", imageId, accountId, at) > 0;
        if (added) {
            listingChanges.account(accountId);
        }
        return added;
    }

    @Override
    public void setExpiry(String imageId, String accountId, Instant expiresAt) {
        sql.update("UPDATE image_shares SET expires_at = ? WHERE image_id = ? AND account_id = ?",
                expiresAt, imageId, accountId);
    }

    @Override
    public List<Share> due(String imageId, Instant now) {
        return sql.query(COLUMNS + " WHERE image_id = ? AND expires_at <= ? ORDER BY account_id",
                JdbcShareRepository::row, imageId, now);
    }

    @Override
    public boolean setDeclined(String imageId, String accountId, Instant at) {
        boolean changed = sql.update("UPDATE image_shares SET declined_at = ? WHERE image_id = ? AND account_id = ?",
                at, imageId, accountId) > 0;
        if (changed) {
            listingChanges.account(accountId);
        }
        return changed;
    }

    @Override
    public boolean remove(String imageId, String accountId) {
        boolean removed = sql.update("DELETE FROM image_shares WHERE image_id = ? AND account_id = ?", imageId, accountId) > 0;
        if (removed) {
            listingChanges.account(accountId);
        }
        return removed;
    }

    private static Share row(ResultSet rs) throws SQLException {
        return new Share(rs.getString(1), rs.getString(2), Sql.instant(rs, 3), Sql.instant(rs, 4), Sql.instant(rs, 5));
    }
}
