package io.imagehub.blob;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mark and sweep over the chunk stores, safe against concurrent writers (docs/adr/0005-garbage-collection.md).
 * A chunk is deleted only if no stored manifest names it AND it was last written or refreshed before the cutoff:
 * the earlier of now minus the grace period and the start of the oldest write job still under way.
 */
public final class GarbageCollector {
    private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);

    /** What the metadata store knows about the chunks in use. */
    public interface References {
        /** When the oldest job that may still write chunks was queued; null if none is queued or running. */
        Instant writersActiveSince();

        /** Every chunk digest named by a stored manifest, of any image in any state. */
        Set<String> referencedChunks();
    }

    /** Open while a backup copies the chunks its database snapshot names; see {@link #hold()}. */
    public interface Hold extends AutoCloseable {
        @Override
        void close();
    }

    /** What one run did. */
    public record Result(long chunksScanned, long chunksDeleted, long unreferencedKept, long tempFilesRemoved) {
    }

    private final Supplier<Collection<ChunkStore>> stores;
    private final References references;
    private final Duration grace;
    private final Clock clock;
    /** Holds share it; a run takes it exclusively. */
    private final ReentrantReadWriteLock holds = new ReentrantReadWriteLock();

    public GarbageCollector(Supplier<Collection<ChunkStore>> stores, References references, Duration grace,
                            Clock clock) {
        this.stores = stores;
        this.references = references;
        this.grace = grace;
        this.clock = clock;
    }

    /**
     * One collection. The order matters: the cutoff is fixed before the mark, so a writer either started before the
     * cutoff's job clock (its chunks are younger than the cutoff), or committed its manifest before the mark.
     */
    public synchronized Result run() throws IOException {
        holds.writeLock().lock();
        try {
            return collect();
        } finally {
            holds.writeLock().unlock();
        }
    }

    /**
     * Keeps every collection from starting until the hold is closed, after waiting for one under way to finish; to be
     * closed by the thread that took it. A backup holds collection from before its database snapshot until it has
     * copied the chunks the snapshot names: a chunk an image deleted after the snapshot still names could otherwise
     * be swept before it is copied (docs/adr/0016-backup.md).
     */
    public Hold hold() {
        holds.readLock().lock();
        return holds.readLock()::unlock;
    }

    private Result collect() throws IOException {
        Instant cutoff = clock.instant().minus(grace);
        Instant writersSince = references.writersActiveSince();
        if (writersSince != null && writersSince.isBefore(cutoff)) {
            cutoff = writersSince;
        }
        Set<String> referenced = references.referencedChunks();
        long scanned = 0;
        long deleted = 0;
        long kept = 0;
        long temps = 0;
        for (ChunkStore store : stores.get()) {
            List<String> unreferenced = new ArrayList<>();
            long[] count = {0};
            store.forEach(sha256 -> {
                count[0]++;
                if (!referenced.contains(sha256)) {
                    unreferenced.add(sha256);
                }
            });
            scanned += count[0];
            for (String sha256 : unreferenced) {
                Instant modified = store.lastModified(sha256);
                if (modified != null && modified.isBefore(cutoff)) {
                    store.delete(sha256);
                    deleted++;
                } else {
                    kept++;
                }
            }
            if (ForwardingChunkStore.underlying(store) instanceof DirectoryChunkStore directory) {
                temps += directory.removeTempFilesOlderThan(cutoff);
            }
        }
        Result result = new Result(scanned, deleted, kept, temps);
        LOG.info("garbage collection: {}", result);
        return result;
    }
}
