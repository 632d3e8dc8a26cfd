package io.imagehub.jobs;

import io.imagehub.domain.JobRepository.Job;
import io.imagehub.domain.Transactions;
import io.imagehub.domain.UnavailableException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
 * A job that throws is retried from the start (handlers are idempotent) up to {@link #MAX_ATTEMPTS} times, unless
 * it throws {@link JobFailedException} (it cannot succeed), which fails it at once.
 *
 * <p>While the database cannot be reached ({@link UnavailableException}) workers wait and poll it every
 * {@link #UNAVAILABLE_POLL}; a job it interrupted goes back to the queue without counting the attempt (the outage is
 * not the job's failure), and a missed lease renewal is tried again at the next progress report.
 */
public final class JobRunner implements AutoCloseable {
    static final int MAX_ATTEMPTS = 3;
    /** The last_error of a job a stopping node queued again. */
    public static final String HANDED_OVER = "node shut down";
    /** How long a stopping node waits for its workers to reach a progress report and hand their jobs over. */
    private static final Duration HAND_OVER_WAIT = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
    private static final Duration IDLE_POLL = Duration.ofMillis(250);
    static final Duration UNAVAILABLE_POLL = Duration.ofSeconds(1);

    private final Transactions transactions;
    private final Map<String, JobHandler> handlers;
    private final Clock clock;
    private final Duration lease;
    /** The lease owner: the process id and host first, so that an operator (or a test) sees which node runs what. */
    private final String nodeId = leaseOwner();
    private final MeterRegistry meters;
    private final List<Thread> workers = new ArrayList<>();
    private final Object wakeUp = new Object();
    private volatile boolean running;
    private volatile boolean handedOver;

    /** {@code meters} gets {@code imagehub_job_outcomes_total{kind,outcome}}: how each attempt ended. */
    public JobRunner(Transactions transactions, Map<String, JobHandler> handlers, Clock clock, Duration lease,
                     MeterRegistry meters) {
        this.transactions = transactions;
        this.meters = meters;
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
            } catch (UnavailableException e) {
                sleepQuietly(UNAVAILABLE_POLL); // the database logs the outage once
            } catch (RuntimeException e) {
                LOG.warn("job worker could not claim work; retrying", e);
                sleepQuietly(IDLE_POLL);
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
            count(job, FAILED);
            return;
        }
        try {
            handler.run(job, heartbeat(job));
            finish(job, "DONE", null);
            count(job, SUCCEEDED);
        } catch (LeaseLostException e) {
            LOG.warn("job {} was taken over by another node; abandoning it here", job.jobId());
            count(job, LEASE_LOST);
        } catch (UnavailableException e) {
            releaseWhenReachable(job);
            count(job, REQUEUED);
        } catch (JobFailedException e) {
            LOG.info("job {} ({}) failed: {}", job.jobId(), job.kind(), e.getMessage());
            handler.giveUp(job, e.getMessage());
            finish(job, "FAILED", e.getMessage());
            count(job, FAILED);
        } catch (Exception e) {
            if (!running) {
                finish(job, "QUEUED", HANDED_OVER); // resumes on the next node (or start) at once
                count(job, REQUEUED);
                return;
            }
            String error = e.getClass().getSimpleName() + ": " + e.getMessage();
            try {
                if (job.attempts() >= MAX_ATTEMPTS) {
                    LOG.error("job {} ({}) failed for good after {} attempts", job.jobId(), job.kind(), job.attempts(), e);
                    handler.giveUp(job, error);
                    finish(job, "FAILED", error);
                    count(job, FAILED);
                } else {
                    LOG.warn("job {} ({}) failed on attempt {}; will retry: {}", job.jobId(), job.kind(), job.attempts(), error);
                    finish(job, "QUEUED", error);
                    count(job, RETRIED);
                }
            } catch (UnavailableException unavailable) {
                releaseWhenReachable(job); // its outcome could not be recorded: it runs again once the database answers
                count(job, REQUEUED);
            }
        }
    }

    /** How an attempt ended: the outcomes of {@code imagehub_job_outcomes_total}. */
    private static final String SUCCEEDED = "succeeded";
    private static final String FAILED = "failed";
    private static final String RETRIED = "retried";
    private static final String LEASE_LOST = "lease_lost";
    /** Handed back to the queue, not counted as an attempt: this node stopped, or the database could not be reached. */
    private static final String REQUEUED = "requeued";

    private void count(Job job, String outcome) {
        Counter.builder("imagehub.job.outcomes").description("Job attempts by kind and how they ended")
                .tag("kind", job.kind()).tag("outcome", outcome).register(meters).increment();
    }

    /**
     * Puts a job the database outage interrupted back in the queue, uncounted, as soon as the database answers; if
     * this node stops first, the job's lease runs out and any node takes it over.
     */
    private void releaseWhenReachable(Job job) {
        while (running) {
            try {
                transactions.run(uow -> {
                    uow.jobs().requeueInterrupted(job.jobId(), nodeId, "the database could not be reached", clock.instant());
                    return null;
                });
                return;
            } catch (UnavailableException e) {
                sleepQuietly(UNAVAILABLE_POLL);
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
            boolean ours;
            try {
                ours = transactions.run(uow -> uow.jobs().heartbeat(job.jobId(), nodeId, now.plus(lease), progress));
            } catch (UnavailableException e) {
                return; // the job goes on; the renewal is tried again at the next report
            }
            lastRenewal[0] = now;
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

    private static void sleepQuietly(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops claiming and hands the running jobs back to the queue, so that other nodes take them over at once rather
     * than when the lease runs out: each stops at its next progress report and is queued again; a job that reports
     * nothing within {@link #HAND_OVER_WAIT} (a stalled download) is queued again in the database all the same, and
     * its worker, should it wake, finds the job no longer its own. Workers are not interrupted: an interrupt inside a
     * database write could close the embedded database's files.
     */
    public synchronized void handOver() {
        if (handedOver) {
            return;
        }
        running = false;
        nudge();
        Instant deadline = clock.instant().plus(HAND_OVER_WAIT);
        for (Thread worker : workers) {
            try {
                worker.join(Duration.between(clock.instant(), deadline).plusMillis(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int released = transactions.run(uow -> uow.jobs().release(nodeId, HANDED_OVER, clock.instant()));
        if (released > 0) {
            LOG.warn("{} job(s) made no progress within {}; queued them again for other nodes", released, HAND_OVER_WAIT);
        }
        handedOver = true;
    }

    /** {@link #handOver()}, if it has not happened yet. */
    @Override
    public void close() {
        handOver();
    }

    private static String leaseOwner() {
        String host;
        try { // not InetAddress.getLocalHost(): that resolves the name, which can hang on a badly set-up host
            host = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        String owner = ProcessHandle.current().pid() + "@" + host;
        // lease_owner holds 64 characters; the random part keeps two runners of one process apart
        return owner.substring(0, Math.min(owner.length(), 50)) + "/" + UUID.randomUUID().toString().substring(0, 8);
    }
}
