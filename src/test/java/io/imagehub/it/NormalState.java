package io.imagehub.it;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * What some accounts hold, with ids and times taken out, so that two databases that ran the same changes compare
 * equal however their ids were drawn: images (owner|region|name and what they are), shares, image counts per
 * account and region (what the quota counts), and the audit trail as a sorted list (actor, action, image, accounts,
 * outcome). Accounts are named by name; images by owner|region|name through {@code imageKeys}.
 */
record NormalState(List<String> images, List<String> shares, Map<String, Integer> quotas, List<String> audit) {

    static NormalState of(DataSource database, Set<String> accountIds, Map<String, String> imageKeys) {
        Reader db = new Reader(database);
        Map<String, String> names = db.accountNames();
        List<String> images = new ArrayList<>();
        Map<String, Integer> quotas = new TreeMap<>();
        for (String[] row : db.rows("SELECT owner_id, region, image_name, state, size_bytes, sha256, source, os_name, "
                + "architecture FROM images WHERE owner_id IS NOT NULL")) {
            if (accountIds.contains(row[0])) {
                String owner = names.get(row[0]);
                images.add(MixedWorkload.key(owner, row[1], row[2]) + " " + String.join("|", Arrays.copyOfRange(row, 3, row.length)));
                quotas.merge(owner + "|" + row[1], 1, Integer::sum);
            }
        }
        List<String> shares = new ArrayList<>();
        for (String[] row : db.rows("SELECT s.image_id, s.account_id, i.owner_id FROM image_shares s "
                + "JOIN images i ON i.image_id = s.image_id")) {
            if (accountIds.contains(row[2])) {
                shares.add(imageKeys.getOrDefault(row[0], "unknown image " + row[0]) + " -> " + names.get(row[1]));
            }
        }
        List<String> audit = new ArrayList<>();
        for (String[] row : db.rows("SELECT actor_id, action, image_id, accounts, outcome FROM audit_events")) {
            if (accountIds.contains(row[0])) {
                String image = row[2] == null ? "-" : imageKeys.getOrDefault(row[2], "unknown image " + row[2]);
                String recipients = row[3] == null || row[3].isEmpty() ? "" : String.join(",",
                        Arrays.stream(row[3].split(",")).map(id -> names.getOrDefault(id, id)).sorted().toList());
                audit.add(names.get(row[0]) + " " + row[1] + " " + image + " [" + recipients + "] " + row[4]);
            }
        }
        images.sort(null);
        shares.sort(null);
        audit.sort(null);
        return new NormalState(images, shares, quotas, audit);
    }

    /** The owner's last audited change of an image: action, accounts (as stored), outcome. */
    record AuditRow(String action, String accounts, String outcome) {
    }

    /** Reads what a node stored, by plain SQL (H2 and PostgreSQL alike). */
    static final class Reader {
        private final DataSource database;

        Reader(DataSource database) {
            this.database = database;
        }

        Map<String, String> accountNames() {
            Map<String, String> names = new HashMap<>();
            for (String[] row : rows("SELECT account_id, name FROM accounts")) {
                names.put(row[0], row[1]);
            }
            return names;
        }

        /** The id of the owner's image of that name in that region, or null. */
        String imageId(String ownerId, String region, String name) {
            List<String[]> found = rows("SELECT image_id FROM images WHERE owner_id = ? AND region = ? AND image_name = ?",
                    ownerId, region, name);
            return found.isEmpty() ? null : found.get(0)[0];
        }

        AuditRow lastChangeOf(String imageId, String actorId) {
            List<String[]> found = rows("SELECT action, accounts, outcome FROM audit_events WHERE image_id = ? AND "
                    + "actor_id = ? AND action IN ('ShareImage', 'CancelImageShare', 'SyncImages', 'DeleteImages') "
                    + "ORDER BY event_id DESC", imageId, actorId);
            return found.isEmpty() ? null : new AuditRow(found.get(0)[0], found.get(0)[1], found.get(0)[2]);
        }

        /** Jobs not finished yet (queued or running), e.g. to wait until a cluster is quiet. */
        int unfinishedJobs() {
            return Integer.parseInt(rows("SELECT COUNT(*) FROM jobs WHERE state IN ('QUEUED', 'RUNNING') "
                    + "AND (run_after IS NULL OR run_after <= CURRENT_TIMESTAMP)").get(0)[0]);
        }

        List<String[]> rows(String sql, String... params) {
            try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    s.setString(i + 1, params[i]);
                }
                List<String[]> rows = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    int columns = r.getMetaData().getColumnCount();
                    while (r.next()) {
                        String[] row = new String[columns];
                        for (int i = 0; i < columns; i++) {
                            row[i] = r.getString(i + 1);
                        }
                        rows.add(row);
                    }
                }
                return rows;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
