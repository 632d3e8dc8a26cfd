package io.imagehub.store;

import io.imagehub.domain.JobRepository;
import java.sql.Connection;
import java.time.Instant;
import java.util.Optional;

final class JdbcJobRepository implements JobRepository {
    private final Sql sql;

    JdbcJobRepository(Connection connection) {
        this.sql = new Sql(connection);
    }

    @Override
    public long enqueue(String kind, String imageId, String payload, Instant now) {
        return enqueueAfter(kind, imageId, payload, now, null);
    }

    @Override
    public long enqueueAfter(String kind, String imageId, String payload, Instant now, Instant runAfter) {
        return sql.insertReturningId("INSERT INTO jobs (kind, image_id, payload, state, attempts, run_after, created_at, "
                + "updated_at) VALUES (?, ?, ?, 'QUEUED', 0, ?, ?, ?)", "job_id", kind, imageId, payload, runAfter, now, now);
    }

    @Override
    public Optional<Job> claim(String owner, Instant now, Instant leaseUntil) {
        Optional<Job> job = sql.queryOne("SELECT job_id, kind, image_id, payload, attempts, progress FROM jobs "
                        + "WHERE (state = 'QUEUED' AND (run_after IS NULL OR run_after <= ?)) "
                        + "OR (state = 'RUNNING' AND lease_until < ?) "
                        + "ORDER BY job_id LIMIT 1 FOR UPDATE SKIP LOCKED",
                rs -> new Job(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5) + 1,
                        rs.getString(6)), now, now);
        job.ifPresent(j -> sql.update("UPDATE jobs SET state = 'RUNNING', attempts = ?, lease_owner = ?, lease_until = ?, "
                + "updated_at = ? WHERE job_id = ?", j.attempts(), owner, leaseUntil, now, j.jobId()));
        return job;
    }

    @Override
    public boolean heartbeat(long jobId, String owner, Instant leaseUntil, String progress) {
        return sql.update("UPDATE jobs SET lease_until = ?, progress = ?, updated_at = ? "
                + "WHERE job_id = ? AND lease_owner = ? AND state = 'RUNNING'", leaseUntil, progress, Instant.now(), jobId, owner) == 1;
    }

    @Override
    public void finish(long jobId, String state, String lastError, Instant now) {
        sql.update("UPDATE jobs SET state = ?, last_error = ?, lease_owner = NULL, lease_until = NULL, updated_at = ? "
                + "WHERE job_id = ?", state, lastError, now, jobId);
    }

    @Override
    public int release(String owner, String reason, Instant now) {
        return sql.update("UPDATE jobs SET state = 'QUEUED', last_error = ?, lease_owner = NULL, lease_until = NULL, "
                + "updated_at = ? WHERE lease_owner = ? AND state = 'RUNNING'", reason, now, owner);
    }

    @Override
    public void requeueInterrupted(long jobId, String owner, String lastError, Instant now) {
        sql.update("UPDATE jobs SET state = 'QUEUED', attempts = attempts - 1, last_error = ?, lease_owner = NULL, "
                + "lease_until = NULL, updated_at = ? WHERE job_id = ? AND lease_owner = ? AND state = 'RUNNING'",
                lastError, now, jobId, owner);
    }

    @Override
    public int countPending(String kind, String ownerId) {
        return sql.queryOne("SELECT COUNT(*) FROM jobs j JOIN images i ON i.image_id = j.image_id "
                + "WHERE j.kind = ? AND j.state IN ('QUEUED', 'RUNNING') AND i.owner_id = ?",
                rs -> rs.getInt(1), kind, ownerId).orElse(0);
    }

    @Override
    public Optional<Job> findPending(String kind, String imageId) {
        return sql.queryOne("SELECT job_id, kind, image_id, payload, attempts, progress FROM jobs "
                        + "WHERE kind = ? AND image_id = ? AND state IN ('QUEUED', 'RUNNING') ORDER BY job_id LIMIT 1",
                rs -> new Job(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                        rs.getString(6)), kind, imageId);
    }
}
