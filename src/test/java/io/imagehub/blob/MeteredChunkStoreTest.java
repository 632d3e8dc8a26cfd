package io.imagehub.blob;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every store the node uses is seen through this view: it must keep the contract, batches included. */
class MeteredChunkStoreTest extends ChunkStoreConformanceTest {

    @TempDir
    Path tempDir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private Path root;
    private int storesCreated;

    @Override
    protected ChunkStore createStore() throws Exception {
        root = tempDir.resolve("store-" + storesCreated++);
        return new MeteredChunkStore(new DirectoryChunkStore(root), "metered", registry);
    }

    @Override
    protected ChunkStore reopen() throws Exception {
        return new MeteredChunkStore(new DirectoryChunkStore(root), "metered", registry);
    }

    @Override
    protected void corrupt(String sha256) throws Exception {
        Files.write(((DirectoryChunkStore) ForwardingChunkStore.underlying(store)).pathOf(sha256), bytes("bit rot"));
    }

    @Test
    void batchPutsCountTheirBytesAndTheFlushIsTimed() throws Exception {
        byte[] data = bytes("metered in a batch");
        try (ChunkStore.Batch batch = store.batch()) {
            batch.put(sha256(data), data, data.length);
            batch.flush();
        }

        assertThat(registry.get("imagehub.chunkstore.bytes").tag("direction", "written").counter().count())
                .isEqualTo(data.length);
        assertThat(registry.get("imagehub.chunkstore.operations").tag("operation", "flush").timer().count())
                .isEqualTo(1);
    }
}
