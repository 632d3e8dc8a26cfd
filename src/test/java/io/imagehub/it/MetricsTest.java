package io.imagehub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.tencentcloudapi.cvm.v20170312.CvmClient;
import com.tencentcloudapi.cvm.v20170312.models.DescribeImagesRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import io.imagehub.config.StoreConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /metrics} in Prometheus text format, and {@code /readyz}, on a real node after real calls. */
class MetricsTest {
    private static final String GZ = "ap-guangzhou";
    private static final String SH = "ap-shanghai";
    private static final String JOB_OUTCOME = "imagehub_job_outcomes_total";
    private static final String CACHE = "imagehub_listing_cache_requests_total";
    private static FileServer files;
    private static TestServer server;
    private static TestServer.Account alice;
    private static final int DISK_BYTES = 3 << 20;
    private static final int UPLOAD_BYTES = 5000;
    private static Path dirs;
    private static String image;

    @BeforeAll
    static void start() throws Exception {
        files = new FileServer();
        dirs = Files.createTempDirectory("imagehub-metrics");
        Path notADirectory = Files.writeString(dirs.resolve("file"), "x");
        server = TestServer.importingFrom(files, c -> {
            c.actionRequestsPerSecond.put("DescribeImageQuota", 0.01);
            c.stores.put("shanghai", StoreConfig.directory(dirs.resolve("shanghai"))); // a sync moves its chunks
            c.regionStore.put(SH, "shanghai");
            c.exportTargets = Map.of("exports", StoreConfig.directory(dirs.resolve("exports")),
                    "broken", StoreConfig.directory(notADirectory)); // every attempt of an export there fails
        });
        alice = server.createAccount("alice");
        CvmClient client = server.client(alice, GZ);
        image = Images.importReady(client, files.put("disk.raw", new byte[DISK_BYTES]), "metered");
        transfersAndFailures(new RawClient(server, alice));
        client.DescribeImages(new DescribeImagesRequest());
        RawClient raw = new RawClient(server, alice);
        raw.call("DescribeImages", GZ, "null");
        raw.call("LaunchRockets" + System.nanoTime(), GZ, "{}");
        raw.call("DescribeImageQuota", GZ, "{}");
        raw.call("DescribeImageQuota", GZ, "{}"); // over its limit of one call per 100 s
    }

    /** One of each transfer, an import that fails for good and an export retried until it fails; then waits. */
    private static void transfersAndFailures(RawClient raw) throws Exception {
        JsonNode upload = UploadsTest.openUpload(raw, "uploaded", UPLOAD_BYTES);
        UploadsTest.put(server, upload.get("ImagehubUploadUrl").asText(), new byte[UPLOAD_BYTES]);
        assertThat(RawClient.errorCode(raw.call("SyncImages", GZ, "{\"ImageIds\":[\"" + image
                + "\"],\"DestinationRegions\":[\"" + SH + "\"]}"))).isNull();
        for (String bucket : new String[] {"exports", "broken"}) {
            assertThat(RawClient.errorCode(raw.call("ExportImages", GZ, "{\"BucketName\":\"" + bucket
                    + "\",\"ImageIds\":[\"" + image + "\"]}"))).isNull();
        }
        assertThat(RawClient.errorCode(raw.call("ImportImage", GZ, "{\"ImageUrl\":\"" + files.baseUrl()
                + "missing.raw\",\"ImageName\":\"missing\",\"Architecture\":\"x86_64\",\"OsType\":\"CentOS\","
                + "\"OsVersion\":\"7\"}"))).isNull();
        for (int waited = 0; !get("/metrics").body().contains(JOB_OUTCOME + "{kind=\"export\",outcome=\"failed\"}")
                || !get("/metrics").body().contains(JOB_OUTCOME + "{kind=\"sync\",outcome=\"succeeded\"}")
                || !get("/metrics").body().contains(JOB_OUTCOME + "{kind=\"import\",outcome=\"failed\"}"); waited++) {
            assertThat(waited).as("the jobs end within a minute").isLessThan(600);
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        files.close();
        TestServer.deleteTree(dirs);
    }

    @Test
    void bytesOfEveryTransferAreCountedByKind() throws Exception {
        String metrics = get("/metrics").body();
        assertThat(value(metrics, "imagehub_transferred_bytes_total{kind=\"import\"}")).isEqualTo(DISK_BYTES);
        assertThat(value(metrics, "imagehub_transferred_bytes_total{kind=\"upload\"}")).isEqualTo(UPLOAD_BYTES);
        assertThat(value(metrics, "imagehub_transferred_bytes_total{kind=\"sync\"}")).isEqualTo(DISK_BYTES);
        assertThat(value(metrics, "imagehub_transferred_bytes_total{kind=\"export\"}")).isEqualTo(DISK_BYTES);
    }

    @Test
    void jobOutcomesAreCountedByKindAndOutcome() throws Exception {
        String metrics = get("/metrics").body();
        assertThat(value(metrics, JOB_OUTCOME + "{kind=\"import\",outcome=\"succeeded\"}")).isEqualTo(1);
        assertThat(value(metrics, JOB_OUTCOME + "{kind=\"import\",outcome=\"failed\"}"))
                .as("a URL that answers 404 fails at once, without retries").isEqualTo(1);
        assertThat(value(metrics, JOB_OUTCOME + "{kind=\"sync\",outcome=\"succeeded\"}")).isEqualTo(1);
        assertThat(value(metrics, JOB_OUTCOME + "{kind=\"export\",outcome=\"succeeded\"}")).isEqualTo(1);
        assertThat(value(metrics, JOB_OUTCOME + "{kind=\"export\",outcome=\"retried\"}")).isEqualTo(2);
        assertThat(value(metrics, JOB_OUTCOME + "{kind=\"export\",outcome=\"failed\"}")).isEqualTo(1);
    }

    @Test
    void listingCacheHitsAndMissesAreCounted() throws Exception {
        RawClient bob = new RawClient(server, server.createAccount("bob")); // no job changes bob's listings
        double hits = value(get("/metrics").body(), CACHE + "{result=\"hit\"}");
        double misses = value(get("/metrics").body(), CACHE + "{result=\"miss\"}");

        bob.call("DescribeImages", GZ, "{\"Limit\":7}");
        bob.call("DescribeImages", GZ, "{\"Limit\":7}");

        String metrics = get("/metrics").body();
        assertThat(value(metrics, CACHE + "{result=\"miss\"}")).isEqualTo(misses + 1);
        assertThat(value(metrics, CACHE + "{result=\"hit\"}")).isEqualTo(hits + 1);
    }

    /** The value of one sample line ({@code name{labels} value}) of the exposition. */
    private static double value(String metrics, String sample) {
        return metrics.lines().filter(l -> l.startsWith(sample + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(sample.length() + 1)))
                .orElseThrow(() -> new AssertionError("no sample " + sample + " in /metrics"));
    }

    @Test
    void requestsAreCountedAndTimedByActionAndOutcome() throws Exception {
        String metrics = get("/metrics").body();
        assertThat(metrics)
                .contains("imagehub_requests_seconds_count{action=\"DescribeImages\",outcome=\"Success\"}")
                .contains("imagehub_requests_seconds_count{action=\"DescribeImages\",outcome=\"InvalidParameter\"}")
                .contains("imagehub_requests_seconds_count{action=\"unknown\",outcome=\"InvalidAction\"}")
                .contains("imagehub_requests_seconds_bucket{action=\"ImportImage\",outcome=\"Success\",le=")
                .doesNotContain("LaunchRockets");
    }

    @Test
    void throttledRequestsAreCountedByLimitAndAmongTheRequests() throws Exception {
        String metrics = get("/metrics").body();
        assertThat(metrics)
                .containsPattern("imagehub_requests_throttled_total\\{limit=\"account_action\"} 1\\.0")
                .containsPattern("imagehub_requests_throttled_total\\{limit=\"key_lookup\"} 0\\.0")
                .containsPattern("imagehub_requests_seconds_count\\{action=\"DescribeImageQuota\",outcome=\"Success\"} 1")
                .containsPattern("imagehub_requests_seconds_count\\{action=\"DescribeImageQuota\","
                        + "outcome=\"RequestLimitExceeded\"} 1");
    }

    @Test
    void noLabelNamesAnAccountOrAnImage() throws Exception {
        assertThat(get("/metrics").body()).doesNotContain(alice.accountId()).doesNotContain(image);
    }

    @Test
    void chunkStoresJobsDatabasePoolAndJvmAreMetered() throws Exception {
        String metrics = get("/metrics").body();
        assertThat(metrics)
                .containsPattern("imagehub_chunkstore_operations_seconds_count\\{operation=\"put\",store=\"default\"} [1-9]")
                .containsPattern("imagehub_chunkstore_bytes_total\\{direction=\"written\",store=\"default\"} [1-9]")
                .containsPattern("imagehub_jobs\\{kind=\"import\",state=\"DONE\"} [1-9]")
                .contains("hikaricp_connections_active{pool=\"imagehub-db\"}")
                .contains("jvm_memory_used_bytes")
                .contains("process_files_open_files");
    }

    @Test
    void aNodeWhoseDatabaseAndStoresAnswerIsReady() throws Exception {
        HttpResponse<String> ready = get("/readyz");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("ready");
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + server.endpoint() + path))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
