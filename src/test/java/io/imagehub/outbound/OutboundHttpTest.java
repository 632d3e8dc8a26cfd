package io.imagehub.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.imagehub.domain.OutboundTarget;
import io.imagehub.domain.OutboundUrl;
import io.imagehub.domain.OutboundUrlRefused;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The request side of the outbound policy against real local servers: the connection goes to the checked address
 * although the host name resolves nowhere, HTTPS verifies the certificate against the host name (not the address
 * connected to), redirects are answered, not followed, and closing an endless response does not read it to the end.
 */
class OutboundHttpTest {
    private static final String PASSWORD = "changeit";
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static Path keyStore;
    private static SSLContext serverTls;
    private static SSLContext clientTls;
    private static HttpsServer https;
    private static HttpServer http;
    private static final List<String> httpRequests = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        keyStore = Files.createTempDirectory("outbound-tls").resolve("files.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "files", "-keyalg", "EC", "-groupname",
                "secp256r1", "-dname", "CN=files.test", "-ext", "SAN=dns:files.test", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", PASSWORD)
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(output).isZero();
        KeyStore store = KeyStore.getInstance(keyStore.toFile(), PASSWORD.toCharArray());
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD.toCharArray());
        serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keys.getKeyManagers(), null, null);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, trust.getTrustManagers(), null);

        https = HttpsServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        https.createContext("/", exchange -> {
            byte[] body = ("hello " + exchange.getRequestHeaders().getFirst("Host")).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        https.start();

        http = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        http.createContext("/", exchange -> {
            httpRequests.add(exchange.getRequestURI().toString());
            if (exchange.getRequestURI().getPath().equals("/moved")) {
                exchange.getResponseHeaders().add("Location", "/elsewhere");
                exchange.sendResponseHeaders(302, -1);
                exchange.close();
                return;
            }
            exchange.sendResponseHeaders(200, 0); // chunked, and never ends
            try (OutputStream out = exchange.getResponseBody()) {
                byte[] block = new byte[64 * 1024];
                while (true) {
                    out.write(block);
                }
            } catch (IOException clientWentAway) {
                exchange.close();
            }
        });
        http.start();
    }

    @AfterAll
    static void stop() throws IOException {
        https.stop(0);
        http.stop(0);
        Files.deleteIfExists(keyStore);
        Files.deleteIfExists(keyStore.getParent());
    }

    @Test
    void httpsGoesToTheCheckedAddressAndVerifiesTheCertificateAgainstTheName() throws Exception {
        OutboundTarget target = target("https://files.test:" + https.getAddress().getPort() + "/disk.raw");
        try (OutboundHttp.Response response = client().get(target); InputStream body = response.body()) {
            assertThat(response.status()).isEqualTo(200);
            assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("hello files.test:" + https.getAddress().getPort());
        }
    }

    @Test
    void aCertificateForAnotherNameIsRefused() throws Exception {
        OutboundTarget target = target("https://other.test:" + https.getAddress().getPort() + "/disk.raw");
        assertThatThrownBy(() -> client().get(target)).isInstanceOf(SSLException.class);
    }

    @Test
    void aRedirectIsAnsweredNotFollowed() throws Exception {
        int before = httpRequests.size();
        try (OutboundHttp.Response response = client().get(target("http://files.test:" + http.getAddress().getPort()
                + "/moved"))) {
            assertThat(response.status()).isEqualTo(302);
        }
        assertThat(httpRequests.subList(before, httpRequests.size())).containsExactly("/moved");
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a close that drains never returns
    void closingAnEndlessResponseDoesNotReadItToTheEnd() throws Exception {
        OutboundHttp.Response response = client().get(target("http://files.test:" + http.getAddress().getPort()
                + "/endless"));
        try (InputStream body = response.body()) {
            assertThat(body.readNBytes(1024)).hasSize(1024);
        }
        response.close();
    }

    private static OutboundHttp client() {
        return new OutboundHttp(Duration.ofSeconds(10), Duration.ofSeconds(10), clientTls);
    }

    /** {@code url} pinned to loopback: the name itself resolves nowhere (.test is reserved). */
    private static OutboundTarget target(String url) throws OutboundUrlRefused {
        return new OutboundTarget(OutboundUrl.parse(url), List.of(LOOPBACK));
    }
}
