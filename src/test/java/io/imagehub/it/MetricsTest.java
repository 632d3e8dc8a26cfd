package io.imagehub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.tencentcloudapi.cvm.v20170312.CvmClient;
import com.tencentcloudapi.cvm.v20170312.models.DescribeImagesRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /metrics} in Prometheus text format, and {@code /readyz}, on a real node after real calls. */
class MetricsTest {
    private static final String GZ = "ap-guangzhou";
    private static FileServer files;
    private static TestServer server;
    private static TestServer.Account alice;
    private static String image;

    @BeforeAll
    static void start() throws Exception {
        files = new FileServer();
        server = TestServer.importingFrom(files, c -> c.actionRequestsPerSecond.put("DescribeImageQuota", 0.01));
        alice = server.createAccount("alice");
        CvmClient client = server.client(alice, GZ);
        image = Images.importReady(client, files.put("disk.raw", new byte[3 << 20]), "metered");
        client.DescribeImages(new DescribeImagesRequest());
        RawClient raw = new RawClient(server, alice);
        raw.call("DescribeImages", GZ, "null");
        raw.call("LaunchRockets" + System.nanoTime(), GZ, "{}");
        raw.call("DescribeImageQuota", GZ, "{}");
        raw.call("DescribeImageQuota", GZ, "{}"); // over its limit of one call per 100 s
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        files.close();
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
