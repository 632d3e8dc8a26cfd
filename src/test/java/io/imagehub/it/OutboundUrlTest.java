package io.imagehub.it;

import static io.imagehub.it.SdkAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import com.tencentcloudapi.cvm.v20170312.CvmClient;
import com.tencentcloudapi.cvm.v20170312.models.DescribeImagesRequest;
import com.tencentcloudapi.cvm.v20170312.models.Filter;
import io.imagehub.config.ServerConfig;
import io.imagehub.domain.HostResolver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ImportImage through the official SDK against a real node and a real file server that records every request it
 * receives: URLs that escape the allowed location are refused before anything is requested, an allowed URL is
 * requested in its normal form, and a host name is fetched only from an address the operator allowed, the one
 * that was checked.
 */
class OutboundUrlTest {
    private static final String GZ = "ap-guangzhou";
    private static final String URL_ERROR = "InvalidParameter.InvalidParameterUrlError";
    private static final byte[] DISK = ImageBytes.disk(64 * 1024, 16);
    private static FileServer files;

    @BeforeAll
    static void serveFiles() throws IOException {
        files = new FileServer();
        files.put("pub/sub/disk.raw", DISK);
        files.put("secret.raw", DISK);
        files.put("public/disk.raw", DISK);
    }

    @AfterAll
    static void stop() throws IOException {
        files.close();
    }

    @Test
    void urlsThatEscapeTheAllowedPathAreRefusedBeforeAnythingIsRequested() throws Exception {
        String base = files.baseUrl();
        Map<String, String> hostile = Map.of(
                base + "pub/%2e%2e/secret.raw", "'..' segment",
                base + "pub/..%2fsecret.raw", "encoded '/'",
                base + "pub/%252e%252e/secret.raw", "encoded '%'",
                base + "pub/..;/secret.raw", "'..' segment",
                base + "pub/..%5csecret.raw", "encoded '\\'",
                base + "public/disk.raw", "the path `/public/disk.raw` is not under an allowed location",
                "http://2130706433:" + files.port() + "/pub/sub/disk.raw", "unusual form",
                "http://127.0.0.1:" + files.port() + "@evil.example/pub/sub/disk.raw", "user information");
        int before = files.requests().size();
        try (TestServer node = node(c -> c.importAllow.add(base + "pub/"), Map.of())) {
            TestServer.Account alice = node.createAccount("alice");
            CvmClient gz = node.client(alice, GZ);
            for (Map.Entry<String, String> url : hostile.entrySet()) {
                TencentCloudSDKException e = assertRefused(URL_ERROR,
                        () -> gz.ImportImage(Images.importRequest(url.getKey(), "x")));
                assertThat(e.getMessage()).as(url.getKey()).contains("`ImageUrl` is refused: ").contains(url.getValue());
            }
            assertThat(files.requests()).hasSize(before);
            List<JsonNode> refusals = AdminAudit.get(node.endpoint(), node.adminToken(), "account=" + alice.accountId())
                    .stream().filter(e -> e.get("Action").asText().equals("OutboundUrlRefused")).toList();
            assertThat(refusals).hasSize(hostile.size()).allSatisfy(event -> {
                assertThat(event.get("Outcome").asText()).isEqualTo(URL_ERROR);
                assertThat(event.get("Detail").asText()).startsWith("ImportImage: ");
            });
            DescribeImagesRequest own = new DescribeImagesRequest();
            own.setFilters(new Filter[] {FoundationTest.filter("image-type", "PRIVATE_IMAGE")});
            assertThat(gz.DescribeImages(own).getTotalCount()).isZero();
        }
    }

    @Test
    void anAllowedUrlIsRequestedInItsNormalForm() throws Exception {
        int before = files.requests().size();
        try (TestServer node = node(c -> c.importAllow.add(files.baseUrl() + "pub/"), Map.of())) {
            CvmClient gz = node.client(node.createAccount("alice"), GZ);
            Images.importReady(gz, files.baseUrl() + "pub/./sub/%64isk.raw?token=a%2Fb", "normal");
        }
        assertThat(files.requests().subList(before, files.requests().size())).containsExactly(
                new FileServer.Request("/pub/sub/disk.raw?token=a%2Fb", "127.0.0.1:" + files.port()));
    }

    @Test
    void aNameThatResolvesToLoopbackIsRefusedUnlessThatAddressIsAllowed() throws Exception {
        String url = "http://files.test:" + files.port() + "/pub/sub/disk.raw";
        Map<String, String> dns = Map.of("files.test", "127.0.0.1");
        int before = files.requests().size();
        try (TestServer node = node(c -> c.importAllow.add("http://files.test:" + files.port() + "/pub/"), dns)) {
            CvmClient gz = node.client(node.createAccount("alice"), GZ);
            TencentCloudSDKException e = assertRefused(URL_ERROR, () -> gz.ImportImage(Images.importRequest(url, "x")));
            assertThat(e.getMessage()).contains("the host `files.test` resolves to a loopback address")
                    .doesNotContain("127.0.0.1");
        }
        assertThat(files.requests()).hasSize(before);

        try (TestServer node = node(c -> {
            c.importAllow.add("http://files.test:" + files.port() + "/pub/");
            c.outboundAllowAddresses.add("127.0.0.1/32");
        }, dns)) {
            CvmClient gz = node.client(node.createAccount("alice"), GZ);
            Images.importReady(gz, url, "named");
        }
        // "files.test" resolves nowhere but in the node's resolver: the request went to the address it checked
        assertThat(files.requests().subList(before, files.requests().size())).containsExactly(
                new FileServer.Request("/pub/sub/disk.raw", "files.test:" + files.port()));
    }

    @Test
    void aNameThatResolvesElsewhereWhenTheJobRunsIsCheckedAgainAndRefused() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        HostResolver rebinding = host -> List.of(InetAddress.getByName(
                lookups.incrementAndGet() == 1 ? "203.0.113.7" : "127.0.0.1")); // public at the request, then loopback
        int before = files.requests().size();
        try (TestServer node = new TestServer(c -> c.importAllow.add("http://rebind.test:" + files.port() + "/pub/"),
                rebinding)) {
            CvmClient gz = node.client(node.createAccount("alice"), GZ);
            String id = Images.importImage(gz, "http://rebind.test:" + files.port() + "/pub/sub/disk.raw", "rebind");
            assertThat(Images.awaitSettled(gz, id).getImageState()).isEqualTo("IMPORTFAILED");
            assertThat(AdminAudit.ofImage(node.endpoint(), node.adminToken(), id)).last().satisfies(event ->
                    assertThat(event.get("Detail").asText()).isEqualTo("the image URL was refused: the host "
                            + "`rebind.test` resolves to a loopback address, which the operator has not allowed"));
        }
        assertThat(lookups).hasValue(2);
        assertThat(files.requests()).hasSize(before);
    }

    /** A node whose resolver knows only {@code dns} (name to address). */
    private static TestServer node(Consumer<ServerConfig> customize, Map<String, String> dns)
            throws IOException {
        return new TestServer(customize, host -> {
            String address = dns.get(host);
            if (address == null) {
                throw new UnknownHostException(host);
            }
            return List.of(InetAddress.getByName(address));
        });
    }
}
