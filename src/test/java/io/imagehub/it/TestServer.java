package io.imagehub.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tencentcloudapi.common.CommonClient;
import com.tencentcloudapi.common.Credential;
import com.tencentcloudapi.common.profile.ClientProfile;
import com.tencentcloudapi.common.profile.HttpProfile;
import com.tencentcloudapi.cvm.v20170312.CvmClient;
import io.imagehub.app.Imagehub;
import io.imagehub.blob.ChunkStore;
import io.imagehub.config.ServerConfig;
import io.imagehub.domain.HostResolver;
import io.imagehub.outbound.SystemHostResolver;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A real imagehub node on a free loopback port with its own data dir, and official-SDK clients for accounts made
 * through the real admin surface.
 */
public final class TestServer implements AutoCloseable {
    public record Account(String accountId, String secretId, String secretKey) {
    }

    private final Imagehub node;
    private final Path dataDir;
    private final ServerConfig config;
    /** Reaches the admin surface (trusting the node's certificate when it serves TLS). */
    private final HttpClient adminHttp;

    /** A node serving HTTPS only, with the certificate {@code certs} issued. */
    public static TestServer withTls(TestCertificates certs, Consumer<ServerConfig> customize) throws IOException {
        return new TestServer(c -> {
            c.tlsCert = certs.serverChainPem();
            c.tlsKey = certs.serverKeyPem();
            customize.accept(c);
        }, new SystemHostResolver(), HttpClient.newBuilder().sslContext(certs.sslContext()).build());
    }

    public TestServer(Consumer<ServerConfig> customize) throws IOException {
        this(customize, new SystemHostResolver());
    }

    /** A node whose outbound requests resolve host names through {@code hostResolver}. */
    public TestServer(Consumer<ServerConfig> customize, HostResolver hostResolver) throws IOException {
        this(customize, hostResolver, HttpClient.newHttpClient());
    }

    private TestServer(Consumer<ServerConfig> customize, HostResolver hostResolver, HttpClient adminHttp)
            throws IOException {
        this.adminHttp = adminHttp;
        this.dataDir = Files.createTempDirectory("imagehub-it");
        this.config = new ServerConfig();
        config.port = 0;
        config.dataDir = dataDir;
        customize.accept(config);
        this.node = Imagehub.start(config, hostResolver);
    }

    public TestServer() throws IOException {
        this(c -> { });
    }

    /** A node whose ImportImage may fetch from {@code files}, otherwise configured by {@code customize}. */
    public static TestServer importingFrom(FileServer files, Consumer<ServerConfig> customize) throws IOException {
        return new TestServer(c -> {
            c.importAllow.add(files.baseUrl());
            customize.accept(c);
        });
    }

    public Imagehub node() {
        return node;
    }

    public int port() {
        return node.port();
    }

    public String endpoint() {
        return "127.0.0.1:" + port();
    }

    public Path dataDir() {
        return dataDir;
    }

    public ServerConfig config() {
        return config;
    }

    public String adminToken() {
        return node.adminToken();
    }

    /** Chunks the node's stores have written so far: what an operation that must copy no bytes must not move. */
    public long chunksWritten() {
        return node.chunkStores().distinct().stream().mapToLong(ChunkStore::chunksWritten).sum();
    }

    public Account createAccount(String name) {
        return createAccounts(name, 1).get(0);
    }

    public List<Account> createAccounts(String name, int count) {
        return createAccounts(baseUrl(), adminHttp, adminToken(), name, count);
    }

    /** Where the node answers: {@code http://host:port}, or {@code https://...} with TLS. */
    public String baseUrl() {
        return (config.tlsCert != null ? "https://" : "http://") + endpoint();
    }

    /** Creates accounts through the admin surface of the node at {@code endpoint} (host:port). */
    public static List<Account> createAccounts(String endpoint, String adminToken, String name, int count) {
        return createAccounts("http://" + endpoint, HttpClient.newHttpClient(), adminToken, name, count);
    }

    private static List<Account> createAccounts(String baseUrl, HttpClient http, String adminToken, String name,
                                                int count) {
        try {
            String body = new ObjectMapper().writeValueAsString(java.util.Map.of("Name", name, "Count", count));
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create(baseUrl + "/admin/accounts"))
                    .header("Authorization", "Bearer " + adminToken)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("account creation failed: " + response.body());
            }
            List<Account> accounts = new ArrayList<>();
            for (JsonNode n : new ObjectMapper().readTree(response.body())) {
                accounts.add(new Account(n.get("AccountId").asText(), n.get("SecretId").asText(), n.get("SecretKey").asText()));
            }
            return accounts;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    public CvmClient client(Account account, String region) {
        return client(account.secretId(), account.secretKey(), region);
    }

    public CvmClient client(String secretId, String secretKey, String region) {
        return client(endpoint(), secretId, secretKey, region);
    }

    /** An official-SDK client of the node at {@code endpoint} (host:port), in-process or not. */
    public static CvmClient client(String endpoint, Account account, String region) {
        return client(endpoint, account.secretId(), account.secretKey(), region);
    }

    /** An official SDK client for the node at {@code endpoint} (host:port), over plain HTTP. */
    public static CvmClient client(String endpoint, String secretId, String secretKey, String region) {
        return client(endpoint, HttpProfile.REQ_HTTP, new Account(null, secretId, secretKey), region, p -> { });
    }

    /**
     * An official SDK client for the node at {@code endpoint} over {@code protocol} ({@link HttpProfile#REQ_HTTP}
     * or {@code REQ_HTTPS}), with the SDK's options (sign method, GET, language, ...) set by {@code options}.
     */
    public static CvmClient client(String endpoint, String protocol, Account account, String region,
                                   Consumer<ClientProfile> options) {
        HttpProfile http = new HttpProfile();
        http.setEndpoint(endpoint);
        http.setProtocol(protocol);
        ClientProfile profile = new ClientProfile();
        profile.setHttpProfile(http);
        options.accept(profile);
        return new CvmClient(new Credential(account.secretId(), account.secretKey()), region, profile);
    }

    /**
     * The official SDK's generic client, for imagehub's extension actions ({@code Imagehub*}), which CvmClient has
     * no method for: {@code commonRequest(new CommonRequest(json), action)} answers the Response object as JSON.
     */
    public CommonClient commonClient(Account account, String region) {
        HttpProfile http = new HttpProfile();
        http.setEndpoint(endpoint());
        http.setProtocol(HttpProfile.REQ_HTTP);
        ClientProfile profile = new ClientProfile();
        profile.setHttpProfile(http);
        return new CommonClient("cvm", "2017-03-12", new Credential(account.secretId(), account.secretKey()), region,
                profile);
    }

    @Override
    public void close() throws IOException {
        node.close();
        deleteTree(dataDir);
    }

    public static void deleteTree(Path root) throws IOException {
        try (var files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
