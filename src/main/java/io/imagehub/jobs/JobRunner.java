package io.imagehub.jobs;

import io.imagehub.domain.JobRepository.Job;
import io.imagehub.domain.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs durable jobs from the database on a few worker threads. A job is claimed under a lease that the worker
 * renews as it reports progress; if this node dies, the lease runs out and any node takes the job over.
 * A job that throws is retried from the start (handlers are idempotent) up to {@link #MAX_ATTEMPTS} times.
 */
public final class JobRunner implements AutoCloseable {
    static final int MAX_ATTEMPTS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
    private static final Duration IDLE_POLL = Duration.ofMillis(250);

    private final Transactions transactions;
    private final Map<String, JobHandler> handlers;
    private final Clock clock;
    private final Duration lease;
    private final String nodeId = "node-" + UUID.randomUUID();
    private final List<Thread> workers = new ArrayList<>();
    private final Object wakeUp = new Object();
    private volatile boolean running;

    public JobRunner(Transactions transactions, Map<String, JobHandler> handlers, Clock clock, Duration lease) {
        this.transactions = transactions;
        this.handlers = Map.copyOf(handlers);
        this.clock = clock;
        this.lease = lease;
    }

    public void start(int workerCount) {
        running = true;
        for (int i = 0; i < workerCount; i++) {
            Thread worker = Thread.ofPlatform().name("imagehub-job-" + i).daemon().start(this::workLoop);
            workers.add(worker);
        }
    }

    /** Tells idle workers that a job was just queued, so it starts without waiting for the next poll. */
    public void nudge() {
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
    }

    private void workLoop() {
        while (running) {
            try {
                Optional<Job> job = claim();
                if (job.isPresent()) {
                    execute(job.get());
                } else {
                    synchronized (wakeUp) {
                        wakeUp.wait(IDLE_POLL.toMillis());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("job worker could not claim work; retrying", e);
                sleepQuietly();
            }
        }
    }

    private Optional<Job> claim() {
        Instant now = clock.instant();
        return transactions.run(uow -> uow.jobs().claim(nodeId, now, now.plus(lease)));
    }

    private void execute(Job job) {
        JobHandler handler = handlers.get(job.kind());
        if (handler == null) {
            finish(job, "FAILED", "no handler for job kind " + job.kind());
            return;
        }
        try {
            handler.run(job, heartbeat(job));
            finish(job, "DONE", null);
        } catch (LeaseLostException e) {
            LOG.warn("job {} was taken over by another node; abandoning it here", job.jobId());
        } catch (Exception e) {
            if (!running) {
                finish(job, "QUEUED", "node shut down"); // resumes on the next node (or start) at once
                return;
            }
            String error = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (job.attempts() >= MAX_ATTEMPTS) {
                LOG.error("job {} ({}) failed for good after {} attempts", job.jobId(), job.kind(), job.attempts(), e);
                handler.giveUp(job, error);
                finish(job, "FAILED", error);
            } else {
                LOG.warn("job {} ({}) failed on attempt {}; will retry: {}", job.jobId(), job.kind(), job.attempts(), error);
                finish(job, "QUEUED", error);
            }
        }
    }

    /**
     * Progress reports renew the lease, at most a few times per lease period so that frequent reports stay cheap.
     * When the node is stopping, a report ends the job here (it is queued again and resumes at once elsewhere).
     */
    private JobControl heartbeat(Job job) {
        Duration renewEvery = lease.dividedBy(3);
        Instant[] lastRenewal = {clock.instant()};
        return progress -> {
            if (!running) {
                throw new NodeStoppingException();
            }
            Instant now = clock.instant();
            if (Duration.between(lastRenewal[0], now).compareTo(renewEvery) < 0) {
                return;
            }
            lastRenewal[0] = now;
            boolean ours = transactions.run(uow -> uow.jobs().heartbeat(job.jobId(), nodeId, now.plus(lease), progress));
            if (!ours) {
                throw new LeaseLostException(job.jobId());
            }
        };
    }

    private static final class NodeStoppingException extends RuntimeException {
        NodeStoppingException() {
            super("node is stopping", null, false, false);
        }
    }

    private void finish(Job job, String state, String error) {
        transactions.run(uow -> {
            uow.jobs().finish(job.jobId(), state, error, clock.instant());
            return null;
        });
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(IDLE_POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops claiming. Running jobs stop at their next progress report and are queued again, so they resume at once
     * on another node or on the next start. Workers are not interrupted: an interrupt inside a database write could
     * close the embedded database's files.
     */
    @Override
    public void close() {
        running = false;
        nudge();
        for (Thread worker : workers) {
            try {
                worker.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
