package io.imagehub.store;

import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The accounts whose image listing one transaction changes, collected as it runs and bumped as its last statements
 * (docs/adr/0008-listing-cache.md). Bumping last and in account order means a transaction holding a version row only
 * ever waits for a greater one, so the bumps cannot deadlock whatever locks the transactions took before.
 */
final class ListingChanges {
    /** The version row of the public images, which every account sees. */
    static final String PUBLIC = "*";

    private final SortedSet<String> accounts = new TreeSet<>();

    void account(String accountId) {
        accounts.add(accountId);
    }

    /**
     * The image's owner (or everyone, for a public image) and every account it is shared with. Two statements, not
     * one UNION: H2 keeps the parse of simple statements per connection but parses a UNION again on every call.
     */
    void image(Sql sql, String imageId) {
        sql.queryOne("SELECT COALESCE(owner_id, '" + PUBLIC + "') FROM images WHERE image_id = ?",
                rs -> rs.getString(1), imageId).ifPresent(accounts::add);
        sql.query("SELECT account_id FROM image_shares WHERE image_id = ?", rs -> rs.getString(1), imageId)
                .forEach(accounts::add);
    }

    void bump(Sql sql) {
        for (String accountId : accounts) {
            if (sql.update("UPDATE listing_versions SET version = version + 1 WHERE account_id = ?", accountId) == 0
                    && sql.update("INSERT INTO listing_versions (account_id, version) VALUES (?, 1) "
                    + "ON CONFLICT DO NOTHING", accountId) == 0) {
                // another transaction created the row meanwhile (and this insert waited for it): bump that one
                sql.update("UPDATE listing_versions SET version = version + 1 WHERE account_id = ?", accountId);
            }
        }
        accounts.clear();
    }
}
