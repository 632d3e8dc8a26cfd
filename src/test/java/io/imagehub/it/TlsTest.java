package io.imagehub.it;

import static io.imagehub.it.SdkAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tencentcloudapi.common.profile.HttpProfile;
import com.tencentcloudapi.cvm.v20170312.CvmClient;
import com.tencentcloudapi.cvm.v20170312.models.DescribeImageSharePermissionRequest;
import com.tencentcloudapi.cvm.v20170312.models.DescribeRegionsRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathBuilderException;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code serve --tls-cert --tls-key}: the API, the admin surface and the console over HTTPS with a certificate
 * issued at run time, driven by the Java and Node.js SDKs with their default protocol (https) and only the endpoint
 * changed, and by the Python SDK's bytes ({@code tccli --endpoint 127.0.0.1:PORT}, whose default is https).
 */
class TlsTest {
    private static final String GZ = "ap-guangzhou";
    private static Path dir;
    private static TestCertificates certs;
    private static FileServer files;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("imagehub-tls");
        certs = TestCertificates.issue(dir);
        files = new FileServer();
        server = TestServer.withTls(certs, c -> {
            c.importAllow.add(files.baseUrl());
            c.instanceTransitionMillis = 50;
        });
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        files.close();
        TestServer.deleteTree(dir);
    }

    /** The Java SDK with its default protocol, trusting the test authority through its documented HttpProfile hooks. */
    private static CvmClient javaSdk(TestServer.Account account) {
        return TestServer.client(server.endpoint(), HttpProfile.REQ_HTTPS, account, GZ, p -> {
            p.getHttpProfile().setSslSocketFactory(certs.sslContext().getSocketFactory());
            p.getHttpProfile().setX509TrustManager(certs.trustManager());
        });
    }

    @Test
    void theJavaSdkWorksOverHttps() throws Exception {
        TestServer.Account alice = server.createAccount("alice");
        CvmClient cvm = javaSdk(alice);
        assertThat(cvm.DescribeRegions(new DescribeRegionsRequest()).getTotalCount()).isPositive();
        byte[] disk = new byte[1024 * 1024];
        String imageId = Images.importReady(cvm, files.put("tls.raw", disk), "over-tls");
        Images.rename(cvm, imageId, "renamed-over-tls");
        assertThat(Images.find(cvm, imageId).orElseThrow().getImageName()).isEqualTo("renamed-over-tls");
        DescribeImageSharePermissionRequest missing = new DescribeImageSharePermissionRequest();
        missing.setImageId("img-00000000");
        assertRefused("InvalidImageId.NotFound", () -> cvm.DescribeImageSharePermission(missing));
    }

    @Test
    void theNodeSdkScenarioWorksWithItsDefaultHttps() throws Exception {
        Map<String, String> env = NodeSdkTest.scenarioEnv(server, files, server.endpoint(), null, "");
        env.put("NODE_EXTRA_CA_CERTS", certs.caPem().toString());
        NodeSdk.Run run = NodeSdk.node("scenario.js", env, 180);

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        assertThat(run.steps()).containsExactlyElementsOf(NodeSdkTest.withDone(NodeSdkTest.SCENARIO));
    }

    @Test
    void pythonAndTccliBytesOverTls() throws Exception {
        TestServer.Account bob = server.createAccount("bob");
        String json = SdkWire.PYTHON.json(Map.of("Limit", 1));
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        WireClient tls = new WireClient(server.port(), certs.sslContext().getSocketFactory());
        WireClient.Answer answer = tls.send(SdkWire.PYTHON.head(server.endpoint(), bob, bob.secretKey(), "DescribeImages",
                GZ, null, System.currentTimeMillis() / 1000, null, body), body);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.headers().get("content-type")).isEqualTo("application/json");
        assertThat(answer.errorCode()).isNull();
        assertThat(answer.response().path("ImageSet").size()).isEqualTo(1);
    }

    @Test
    void theAdminSurfaceAndHealthAreServedOverTlsAndPlainHttpIsNot() throws Exception {
        HttpClient trusting = HttpClient.newBuilder().sslContext(certs.sslContext()).build();
        HttpResponse<String> health = trusting.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(server.baseUrl()).startsWith("https://");

        HttpClient untrusting = HttpClient.newHttpClient();
        assertThatThrownBy(() -> untrusting.send(HttpRequest.newBuilder(
                        URI.create(server.baseUrl() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString()))
                .hasRootCauseInstanceOf(CertPathBuilderException.class)
                .isInstanceOf(SSLHandshakeException.class);
        assertThatThrownBy(() -> untrusting.send(HttpRequest.newBuilder(
                URI.create("http://" + server.endpoint() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void theConsoleSessionCookieIsSecureOverTls() throws Exception {
        TestServer.Account account = server.createAccount("tls-console");
        HttpClient trusting = HttpClient.newBuilder().sslContext(certs.sslContext()).build();
        HttpResponse<String> signIn = trusting.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/console/signin"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("secretId=" + account.secretId() + "&secretKey="
                        + java.net.URLEncoder.encode(account.secretKey(), java.nio.charset.StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(signIn.statusCode()).isEqualTo(303);
        assertThat(signIn.headers().firstValue("Set-Cookie").orElseThrow())
                .startsWith("imagehub_session=").contains("; HttpOnly", "; SameSite=Strict", "; Secure");
    }
}
