package io.imagehub.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagehub.blob.GarbageCollector;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What garbage collection must keep, read from the metadata store: manifests of all images and of all instance
 * disks (an instance outlives the image it was launched from), and running jobs.
 */
public final class JdbcChunkReferences implements GarbageCollector.References {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Database database;

    public JdbcChunkReferences(Database database) {
        this.database = database;
    }

    /** Jobs of every kind count: a job that only reads chunks (export) is merely kept safe a little longer. */
    @Override
    public Instant writersActiveSince() {
        List<Instant> oldest = database.inTransaction(c -> new Sql(c).query(
                "SELECT MIN(created_at) AS oldest FROM jobs WHERE state IN ('QUEUED', 'RUNNING')",
                rs -> Sql.instant(rs, "oldest")));
        return oldest.isEmpty() ? null : oldest.get(0);
    }

    @Override
    public Set<String> referencedChunks() {
        return database.inTransaction(JdbcChunkReferences::referencedChunks);
    }

    /** The chunks of every image and instance disk on {@code c}: what a backup of that database must hold too. */
    static Set<String> referencedChunks(Connection c) {
        Set<String> chunks = new HashSet<>();
        new Sql(c).query("SELECT manifest FROM images WHERE manifest IS NOT NULL "
                + "UNION ALL SELECT disk_manifest FROM instances", rs -> rs.getString(1))
                .forEach(manifest -> chunks.addAll(chunksOf(manifest)));
        return chunks;
    }

    /** The chunk digests a stored manifest names. */
    static List<String> chunksOf(String manifest) {
        List<String> chunks = new ArrayList<>();
        try {
            JSON.readTree(manifest).path("chunks").forEach((JsonNode chunk) -> chunks.add(chunk.asText()));
        } catch (JsonProcessingException e) {
            // an unreadable manifest makes everything unsafe to collect (and a backup of it incomplete)
            throw new IllegalStateException("a manifest is unreadable; garbage collection stops", e);
        }
        return chunks;
    }
}
