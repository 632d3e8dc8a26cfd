package io.imagehub.domain;

import java.time.Instant;
import java.util.Optional;

/** Durable jobs. Bound to one transaction. */
public interface JobRepository {
    long enqueue(String kind, String imageId, String payload, Instant now);

    /** Enqueues a job that no worker claims before {@code runAfter} (a delayed step, e.g. an instance transition). */
    long enqueueAfter(String kind, String imageId, String payload, Instant now, Instant runAfter);

    /**
     * Claims the oldest job that is queued, or running under an expired lease (its node died), skipping rows
     * other nodes hold locked; marks it RUNNING under {@code owner} until {@code leaseUntil}.
     */
    Optional<Job> claim(String owner, Instant now, Instant leaseUntil);

    /** Extends the lease and saves progress; false if the job is no longer ours (lease lost). */
    boolean heartbeat(long jobId, String owner, Instant leaseUntil, String progress);

    void finish(long jobId, String state, String lastError, Instant now);

    /** Queues again every job {@code owner} still holds (a node handing its work over as it stops); returns how many. */
    int release(String owner, String reason, Instant now);
    /**
     * Puts a job {@code owner} holds back in the queue without counting its attempt (it was interrupted, not failed);
     * nothing if another node has taken it over meanwhile.
     */
    void requeueInterrupted(long jobId, String owner, String lastError, Instant now);

    /** Jobs of {@code kind} still queued or running for images the account owns. */
    int countPending(String kind, String ownerId);

    /** The queued or running job of {@code kind} for the image, if any. */
    Optional<Job> findPending(String kind, String imageId);

    record Job(long jobId, String kind, String imageId, String payload, int attempts, String progress) {
    }
}
