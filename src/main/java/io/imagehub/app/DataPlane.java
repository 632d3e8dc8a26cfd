package io.imagehub.app;

import io.imagehub.blob.ChunkStore;
import io.imagehub.blob.ChunkStores;
import io.imagehub.blob.MeteredChunkStore;
import io.imagehub.blob.GarbageCollector;
import io.imagehub.config.ServerConfig;
import io.imagehub.config.StoreConfig;
import io.imagehub.domain.Image;
import io.imagehub.domain.Transactions;
import io.imagehub.store.Database;
import io.imagehub.store.JdbcChunkReferences;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The node's blob side as configured: the regions' chunk stores, export targets, and garbage collection. */
final class DataPlane implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DataPlane.class);

    final ChunkStores stores;
    final Map<String, Path> exportTargets;
    final GarbageCollector garbageCollector;
    private final Thread periodicCollection;
    private final Object stop = new Object();
    private volatile boolean stopping;

    private DataPlane(ServerConfig config, Database database, Clock clock, MeterRegistry meters) throws IOException {
        this.stores = openStores(config, meters);
        this.exportTargets = exportTargets(config);
        this.garbageCollector = new GarbageCollector(stores::distinct, new JdbcChunkReferences(database),
                Duration.ofSeconds(config.gcGraceSeconds), clock);
        this.periodicCollection = config.gcIntervalSeconds > 0
                ? Thread.ofVirtual().name("imagehub-gc").start(() -> collectEvery(Duration.ofSeconds(config.gcIntervalSeconds)))
                : null;
    }

    static DataPlane open(ServerConfig config, Database database, Clock clock, MeterRegistry meters)
            throws IOException {
        return new DataPlane(config, database, clock, meters);
    }

    Set<String> exportBuckets() {
        return exportTargets.keySet();
    }

    /** The store of an image's region (ImportJob knows only the image id). */
    Function<String, ChunkStore> storeOfImage(Transactions transactions) {
        return imageId -> stores.forRegion(transactions.run(uow -> uow.images().find(imageId))
                .map(Image::region).orElseThrow(() -> new IllegalStateException("no image " + imageId)));
    }

    /** Every store is opened once, however many regions name it. */
    private static ChunkStores openStores(ServerConfig config, MeterRegistry meters) throws IOException {
        Map<String, ChunkStore> byName = new HashMap<>();
        for (Map.Entry<String, StoreConfig> store : config.stores.entrySet()) {
            byName.put(store.getKey(), new MeteredChunkStore(store.getValue().openChunkStore(config.dataDir),
                    store.getKey(), meters));
        }
        Map<String, ChunkStore> byRegion = new LinkedHashMap<>();
        for (Map.Entry<String, String> mapping : config.regionStore.entrySet()) {
            if (config.region(mapping.getKey()) == null) {
                throw new IllegalArgumentException("regionStore names an unknown region: " + mapping.getKey());
            }
            ChunkStore store = byName.get(mapping.getValue());
            if (store == null) {
                throw new IllegalArgumentException("regionStore names an unknown store: " + mapping.getValue());
            }
            byRegion.put(mapping.getKey(), store);
        }
        ChunkStore fallback = new MeteredChunkStore(
                StoreConfig.directory(Path.of("blobs")).openChunkStore(config.dataDir), "default", meters);
        return new ChunkStores(byRegion, fallback);
    }

    private static Map<String, Path> exportTargets(ServerConfig config) {
        return config.exportTargets.entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> {
            if (!e.getValue().isDirectory()) {
                throw new IllegalArgumentException("export target " + e.getKey() + ": only type \"dir\" is supported");
            }
            return e.getValue().directoryPath(config.dataDir);
        }));
    }

    /** Not stopped by interrupt: an interrupt inside an embedded-database read could close its files. */
    private void collectEvery(Duration interval) {
        while (true) {
            try {
                synchronized (stop) {
                    if (!stopping) {
                        stop.wait(interval.toMillis());
                    }
                }
                if (stopping) {
                    return;
                }
                garbageCollector.run();
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                LOG.warn("garbage collection failed; trying again in {}", interval, e);
            }
        }
    }

    @Override
    public void close() throws Exception {
        if (periodicCollection != null) {
            synchronized (stop) {
                stopping = true;
                stop.notifyAll();
            }
            periodicCollection.join(Duration.ofSeconds(5));
        }
        stores.close();
    }
}
