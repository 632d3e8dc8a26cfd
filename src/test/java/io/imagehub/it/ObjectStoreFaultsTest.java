package io.imagehub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.tencentcloudapi.cvm.v20170312.CvmClient;
import com.tencentcloudapi.cvm.v20170312.models.Image;
import com.tencentcloudapi.cvm.v20170312.models.SyncImagesRequest;
import io.imagehub.api.Tc3Signer;
import io.imagehub.blob.ChunkStoreException;
import io.imagehub.blob.S3ChunkStore;
import io.imagehub.blob.S3Retries;
import io.imagehub.config.StoreConfig;
import io.imagehub.store.JdbcChunkReferences;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A node whose chunk stores are S3 ({@link S3Endpoint}) behind a {@link FaultProxy}: a real network hop that answers 5xx,
 * resets connections, cuts bodies off, adds latency or fails everything, on a fixed seed. Imports, syncs and
 * downloads either finish with the right bytes (the S3 client retries with backoff) or fail cleanly with a reason;
 * never NORMAL with a missing chunk, and garbage collection leaves no chunk of a failed attempt behind.
 */
class ObjectStoreFaultsTest {
    private static final long SEED = 14;
    private static final String GZ = "ap-guangzhou";
    private static final String SH = "ap-shanghai";
    private static final String BUCKET = "faults";
    private static final int CHUNK = 4 * 1024 * 1024;
    /** Four attempts per S3 call: more than the flaky proxy's two faults in a row on one object. */
    private static final S3Retries RETRIES = new S3Retries(4, 10L, 200L, 10L);

    private static Path s3Dir;
    private static S3Endpoint s3;
    private static FaultProxy proxy;
    private static FileServer files;
    private static TestServer server;
    private static TestServer.Account alice;

    @BeforeAll
    static void start() throws Exception {
        s3Dir = Files.createTempDirectory("imagehub-s3-faults");
        s3 = new S3Endpoint(s3Dir, blobs -> blobs);
        s3.createBucket(BUCKET);
        proxy = new FaultProxy(s3.endpoint(), SEED);
        files = new FileServer();
        server = TestServer.importingFrom(files, c -> {
            c.stores = Map.of("gz", store("gz/"), "sh", store("sh/"));
            c.regionStore = Map.of(GZ, "gz", SH, "sh");
            c.gcIntervalSeconds = 0; // collected by the test, at a known point
            c.gcGraceSeconds = 0;
        });
        alice = server.createAccount("faults-alice");
    }

    private static StoreConfig store(String prefix) {
        return new StoreConfig(StoreConfig.S3, null, proxy.endpoint().toString(), S3Endpoint.REGION,
                S3Endpoint.ACCESS_KEY, S3Endpoint.SECRET_KEY, BUCKET, prefix, RETRIES);
    }

    @AfterEach
    void heal() {
        proxy.heal();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        files.close();
        proxy.close();
        s3.close();
        TestServer.deleteTree(s3Dir);
    }

    @Test
    void onAFlakySlowStoreImportsSyncsAndDownloadsFinishWithTheRightBytes() throws Exception {
        byte[] disk = ImageBytes.disk(3 * CHUNK + 123, 7);
        String digest = "sha256:" + Tc3Signer.sha256Hex(disk);
        int faultsBefore = proxy.injectedTotal();
        proxy.flaky(0.3, 2).latency(5);

        String imageId = Images.importReady(client(GZ), files.put("flaky.raw", disk), "flaky");
        String copyId = sync(imageId, SH);
        Image copy = Images.awaitSettled(client(SH), copyId);

        assertThat(copy.getImageState()).isEqualTo("NORMAL");
        RawClient raw = new RawClient(server, alice);
        assertThat(ImageBytes.digest(raw, GZ, imageId)).isEqualTo(digest);
        assertThat(ImageBytes.digest(raw, SH, copyId)).isEqualTo(digest);
        assertThat(download(raw, GZ, imageId)).as("every chunk read back through the faults").isEqualTo(disk);
        assertThat(download(raw, SH, copyId)).isEqualTo(disk);
        assertThat(proxy.injectedTotal() - faultsBefore).as("faults the calls got through").isGreaterThan(10);
        for (FaultProxy.Fault fault : FaultProxy.Fault.values()) {
            assertThat(proxy.injected(fault)).as("faults of kind " + fault + " (all: " + proxy.injectedByKind() + ")")
                    .isPositive();
        }
    }

    @Test
    void withoutRetriesTheSameFaultsFailTheCalls() throws Exception {
        try (FaultProxy flaky = new FaultProxy(s3.endpoint(), SEED).flaky(0.3, 2);
             S3ChunkStore once = S3ChunkStore.connect(flaky.endpoint(), S3Endpoint.REGION, S3Endpoint.ACCESS_KEY,
                     S3Endpoint.SECRET_KEY, BUCKET, "once/", new S3Retries(1, null, null, null))) {
            int failed = 0;
            for (int i = 0; i < 10; i++) {
                byte[] chunk = ImageBytes.disk(1024, 100 + i);
                try {
                    once.put(Tc3Signer.sha256Hex(chunk), chunk, chunk.length);
                } catch (ChunkStoreException e) {
                    failed++;
                }
            }
            assertThat(failed).as("puts that a single attempt could not get through").isPositive();
        }
    }

    @Test
    void aStoreThatGoesDownFailsImportsAndSyncsWithAReasonAndGarbageCollectionLeavesNoOrphan() throws Exception {
        byte[] kept = ImageBytes.disk(2 * CHUNK, 8);
        String source = Images.importReady(client(GZ), files.put("kept.raw", kept), "kept");

        proxy.failAfterUploads(2);
        String doomed = Images.importImage(client(GZ), files.put("doomed.raw", ImageBytes.disk(2 * CHUNK + 1, 9)), "doomed");
        Image failed = Images.awaitSettled(client(GZ), doomed);
        RawClient raw = new RawClient(server, alice);
        assertThat(failed.getImageState()).isEqualTo("IMPORTFAILED");
        assertThat(failureReason(raw, GZ, doomed)).contains("ChunkStoreException").contains("503");
        assertThat(unreferencedChunks()).as("the failed import's chunks, before garbage collection").isNotEmpty();

        proxy.heal().failAfterUploads(1);
        String copyId = sync(source, SH);
        Image copy = Images.awaitSettled(client(SH), copyId);
        assertThat(copy.getImageState()).as("a copy that could not be filled").isEqualTo("CREATEFAILED");
        assertThat(failureReason(raw, SH, copyId)).contains("ChunkStoreException");

        proxy.heal();
        server.node().garbageCollector().run();
        assertThat(unreferencedChunks()).as("chunks no manifest names, after garbage collection").isEmpty();
        assertThat(download(raw, GZ, source)).as("what images use is kept").isEqualTo(kept);
    }

    /** Chunks in the node's stores (listed behind the proxy's back) that no stored manifest names. */
    private static Set<String> unreferencedChunks() {
        Set<String> referenced = new JdbcChunkReferences(server.node().database()).referencedChunks();
        Set<String> unreferenced = new TreeSet<>();
        for (String prefix : new String[] {"gz/", "sh/"}) {
            for (S3Object object : s3.client().listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents()) {
                String sha256 = object.key().substring(object.key().lastIndexOf('/') + 1);
                if (!sha256.isEmpty() && !referenced.contains(sha256)) { // a directory store lists its directories too
                    unreferenced.add(object.key());
                }
            }
        }
        return unreferenced;
    }

    private static String sync(String imageId, String region) throws Exception {
        SyncImagesRequest request = new SyncImagesRequest();
        request.setImageIds(new String[] {imageId});
        request.setDestinationRegions(new String[] {region});
        request.setImageSetRequired(true);
        return client(GZ).SyncImages(request).getImageSet()[0].getImageId();
    }

    private static String failureReason(RawClient raw, String region, String imageId) {
        JsonNode response = raw.call("DescribeImages", region, "{\"ImageIds\":[\"" + imageId + "\"]}");
        return response.at("/ImageSet/0/ImagehubFailureReason").asText();
    }

    private static byte[] download(RawClient raw, String region, String imageId) throws Exception {
        JsonNode download = raw.call("ImagehubDescribeImageDownload", region, "{\"ImageId\":\"" + imageId + "\"}");
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://" + server.endpoint() + download.get("DownloadUrl").asText())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static CvmClient client(String region) {
        return server.client(alice, region);
    }
}
