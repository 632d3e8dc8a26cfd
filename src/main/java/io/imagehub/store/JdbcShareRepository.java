package io.imagehub.store;

import io.imagehub.domain.Share;
import io.imagehub.domain.ShareRepository;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;

final class JdbcShareRepository implements ShareRepository {
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
    public List<Share> list(String imageId) {
        return sql.query("SELECT image_id, account_id, created_at FROM image_shares WHERE image_id = ? "
                        + "ORDER BY created_at, account_id",
                rs -> new Share(rs.getString(1), rs.getString(2), Sql.instant(rs, "created_at")), imageId);
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
    public boolean remove(String imageId, String accountId) {
        boolean removed = sql.update("DELETE FROM image_shares WHERE image_id = ? AND account_id = ?", imageId, accountId) > 0;
        if (removed) {
            listingChanges.account(accountId);
        }
        return removed;
    }
}
