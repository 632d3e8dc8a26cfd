package io.imagehub.store;

import java.sql.Connection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What one database snapshot holds, read from the snapshot itself: row counts (a backup records them, its restore
 * compares them), every chunk it references (as garbage collection marks them), and per region the chunks that must
 * be there for it to serve: those of its NORMAL images and its instances' disks (docs/adr/0016-backup.md).
 */
public record BackupContents(Map<String, Long> counts, Set<String> referencedChunks,
                             Map<String, Set<String>> requiredChunksByRegion, String schemaVersion) {

    /** Name in backup.json → what it counts. */
    private static final Map<String, String> COUNTS = countQueries();

    private static Map<String, String> countQueries() {
        Map<String, String> counts = new LinkedHashMap<>();
        counts.put("accounts", "SELECT COUNT(*) FROM accounts");
        counts.put("apiKeys", "SELECT COUNT(*) FROM api_keys");
        counts.put("images", "SELECT COUNT(*) FROM images");
        counts.put("normalImages", "SELECT COUNT(*) FROM images WHERE state = 'NORMAL'");
        counts.put("shares", "SELECT COUNT(*) FROM image_shares");
        counts.put("instances", "SELECT COUNT(*) FROM instances");
        counts.put("auditEvents", "SELECT COUNT(*) FROM audit_events");
        counts.put("webhooks", "SELECT COUNT(*) FROM webhooks");
        counts.put("unfinishedJobs", "SELECT COUNT(*) FROM jobs WHERE state IN ('QUEUED', 'RUNNING')");
        return counts;
    }

    /** Reads {@code c}, which must see one consistent state (a snapshot nobody else writes to). */
    public static BackupContents read(Connection c) {
        Sql sql = new Sql(c);
        Map<String, Long> counts = new LinkedHashMap<>();
        COUNTS.forEach((name, query) -> counts.put(name, sql.queryLong(query)));
        Map<String, Set<String>> required = new HashMap<>();
        sql.query("SELECT region, manifest FROM images WHERE state = 'NORMAL' AND manifest IS NOT NULL "
                        + "UNION ALL SELECT region, disk_manifest FROM instances",
                rs -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(row -> required.computeIfAbsent(row.getKey(), r -> new HashSet<>())
                        .addAll(JdbcChunkReferences.chunksOf(row.getValue())));
        String schema = sql.queryOne("SELECT \"version\" FROM \"flyway_schema_history\" WHERE \"success\" "
                + "ORDER BY \"installed_rank\" DESC LIMIT 1", rs -> rs.getString(1)).orElse(null);
        return new BackupContents(counts, JdbcChunkReferences.referencedChunks(c), required, schema);
    }

    /**
     * For a restored database: its RUNNING jobs were leased by nodes of the deployment that was backed up, and none of
     * those runs this database. Queued again (attempts kept), the new node resumes them at once instead of once the
     * old leases have run out. Returns how many.
     */
    public static int releaseLeases(Connection c) {
        return new Sql(c).update("UPDATE jobs SET state = 'QUEUED', lease_owner = NULL, lease_until = NULL "
                + "WHERE state = 'RUNNING'");
    }
}
