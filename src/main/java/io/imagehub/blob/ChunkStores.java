package io.imagehub.blob;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which chunk store holds each region's images. Several regions may share one store; a region without a store of
 * its own uses the default one.
 */
public final class ChunkStores implements AutoCloseable {
    private final Map<String, ChunkStore> byRegion;
    private final ChunkStore fallback;

    public ChunkStores(Map<String, ChunkStore> byRegion, ChunkStore fallback) {
        this.byRegion = Map.copyOf(byRegion);
        this.fallback = fallback;
    }

    public ChunkStore forRegion(String region) {
        return byRegion.getOrDefault(region, fallback);
    }

    /** Every distinct store once (by {@link ChunkStore#id()}), e.g. for garbage collection. */
    public Collection<ChunkStore> distinct() {
        Map<String, ChunkStore> stores = new LinkedHashMap<>();
        stores.put(fallback.id(), fallback);
        byRegion.values().forEach(store -> stores.putIfAbsent(store.id(), store));
        return List.copyOf(stores.values());
    }

    @Override
    public void close() throws Exception {
        List<Exception> failures = new ArrayList<>();
        for (ChunkStore store : distinct()) {
            if (store instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    failures.add(e);
                }
            }
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }
}
