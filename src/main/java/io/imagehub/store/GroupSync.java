package io.imagehub.store;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit: a caller whose transaction has committed (in memory) waits here until one round of "write the
 * store, force the file" that started after its commit has completed. Concurrent callers share that round: the
 * first to arrive runs it for everyone registered so far, the others wait for it (docs/adr/0007-durability.md).
 */
final class GroupSync {
    /** Writes everything committed so far to the database file and forces it to the device (fsync). */
    @FunctionalInterface
    interface Force {
        void force() throws Exception;
    }

    private final Force force;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition synced = lock.newCondition();
    private long registered;
    private long durable;
    private boolean forcing;

    GroupSync(Force force) {
        this.force = force;
    }

    /** Returns once every commit that completed before this call is on the device. */
    void awaitDurable() {
        lock.lock();
        try {
            long ticket = ++registered;
            while (durable < ticket) {
                if (forcing) {
                    synced.awaitUninterruptibly();
                    continue;
                }
                // lead a round: it covers every ticket registered so far, since those commits have already happened
                long upTo = registered;
                forcing = true;
                lock.unlock();
                try {
                    force.force();
                } catch (Exception e) {
                    throw new IllegalStateException("cannot force the database file to disk", e);
                } finally {
                    lock.lock();
                    forcing = false;
                    synced.signalAll();
                }
                durable = Math.max(durable, upTo);
            }
        } finally {
            lock.unlock();
        }
    }
}
