package io.imagehub.bench.jmh;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagehub.api.ActionRegistry;
import io.imagehub.api.ApiGateway;
import io.imagehub.api.ImageActions;
import io.imagehub.api.RegionActions;
import io.imagehub.api.RequestAuthenticator;
import io.imagehub.api.SignatureV1;
import io.imagehub.api.RequestAuthenticator.SignedRequest;
import io.imagehub.api.Tc3Signer;
import io.imagehub.api.Tc3Signer.Header;
import io.imagehub.app.Imagehub;
import io.imagehub.bench.BenchSupport.Account;
import io.imagehub.bench.DataGenerator;
import io.imagehub.config.ServerConfig;
import io.imagehub.domain.AccountService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.imagehub.domain.Credentials;
import io.imagehub.domain.ImageService;
import io.imagehub.domain.InFlightLimits;
import io.imagehub.domain.ImportService;
import io.imagehub.domain.OutboundUrlPolicy;
import io.imagehub.domain.SecretCipher;
import io.imagehub.domain.Transactions;
import io.imagehub.domain.WebhookEvents;
import io.imagehub.it.TestServer;
import io.imagehub.outbound.SystemHostResolver;
import io.imagehub.store.Database;
import io.imagehub.store.JdbcNonceLedger;
import io.imagehub.store.JdbcTransactions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.slf4j.LoggerFactory;

/**
 * What the JMH benchmarks run against: one node's API stack (TC3 check, dispatch, image and region actions, store)
 * wired as {@link Imagehub} wires it, without the HTTP server and the job workers (Imagehub keeps its gateway
 * inside the HTTP server), over a real H2 file database. The clock is fixed at the time the requests were signed.
 *
 * <p>{@link #generated(int)}: a data dir filled by {@link DataGenerator} with bench/run's population ({@code images}
 * images, 1,000 accounts, 10,000 shares) and its fixtures (each bench owner holds 500 images, 50 of them shared with
 * its recipient), which ends with one start of a real {@link Imagehub}: it seeds the public images as the server does.
 * Generating takes a while, so when system property {@value #DATA_PROPERTY} names a directory (bench/jmh sets it)
 * the data dir is kept there and reused by the later forks and benchmarks of the run; otherwise each fixture
 * generates its own and deletes it on {@link #close()}. The benchmarks only read, so sharing it is safe.
 *
 * <p>{@link #withOneAccount()}: a fresh migrated store with one account made by {@link AccountService}.
 */
final class NodeFixture implements AutoCloseable {
    static final String DATA_PROPERTY = "imagehub.jmh.data";
    /** The Host header the requests are signed with (any value: the verifier signs what the request carries). */
    private static final String HOST = "127.0.0.1:9000";
    private static final String CONTENT_TYPE = "application/json; charset=utf-8";
    /** Marks a kept data dir as complete: generated and seeded. */
    private static final String READY = "jmh-ready";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dataDir;
    private final boolean deleteOnClose;
    private final Instant signedAt = Instant.ofEpochSecond(Instant.now().getEpochSecond());
    private final Clock clock = Clock.fixed(signedAt, ZoneOffset.UTC);
    private final ServerConfig config = new ServerConfig();
    private final Database database;
    private final Transactions transactions;
    private final AccountService accounts;
    private final ActionRegistry actions = new ActionRegistry();
    private final ApiGateway gateway;

    private NodeFixture(Path dataDir, boolean deleteOnClose, int listingCacheMib) throws IOException {
        this.dataDir = dataDir;
        this.deleteOnClose = deleteOnClose;
        // bench/run runs the server with IMAGEHUB_REQUEST_LOG=OFF; so do these
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("imagehub.request")).setLevel(Level.OFF);
        config.dataDir = dataDir;
        config.listingCacheMib = listingCacheMib;
        this.database = new Database(config.effectiveDbUrl(), config.dbUser, config.dbPassword, config.dbPoolSize);
        this.transactions = new JdbcTransactions(database);
        this.accounts = new AccountService(transactions, SecretCipher.fromEnvOrFile(config.effectiveMasterKeyFile()),
                clock, () -> true);
        ImageService images = new ImageService(transactions, clock, config.shareLimit, config.imageQuota,
                Duration.ofDays(config.shareExpiryMaxDays), Duration.ofSeconds(config.shareExpiryNoticeSeconds),
                new WebhookEvents(clock), new InFlightLimits(config.maxImportsPerAccount, config.maxUploadsPerAccount,
                        config.maxSyncsPerAccount, config.maxExportsPerAccount));
        new RegionActions(config.regions).register(actions);
        new ImageActions(images, new ImportService(images, new OutboundUrlPolicy("--import-allow", config.importAllow,
                        config.outboundAllowAddresses, new SystemHostResolver()), null, clock, () -> { }),
                config.listingCacheMib * (1L << 20), new SimpleMeterRegistry()).register(actions);
        this.gateway = gateway(actions);
    }

    /**
     * The generated data dir with {@code images} images in the population (see the class comment), the node's
     * DescribeImages cache off: the listings are built on every call.
     */
    static NodeFixture generated(int images) throws Exception {
        return generated(images, 0);
    }

    /** As {@link #generated(int)}, with a DescribeImages cache of {@code listingCacheMib} (docs/adr/0008). */
    static NodeFixture generated(int images, int listingCacheMib) throws Exception {
        String keep = System.getProperty(DATA_PROPERTY);
        if (keep == null) {
            Path dir = Files.createTempDirectory("imagehub-jmh");
            generate(dir, images);
            return new NodeFixture(dir, true, listingCacheMib);
        }
        Path dir = Path.of(keep).resolve("images-" + images);
        if (!Files.exists(dir.resolve(READY))) {
            if (Files.exists(dir)) {
                TestServer.deleteTree(dir); // an earlier generation was interrupted
            }
            generate(dir, images);
            Files.createFile(dir.resolve(READY));
        }
        return new NodeFixture(dir, false, listingCacheMib);
    }

    static NodeFixture withOneAccount() throws IOException {
        return new NodeFixture(Files.createTempDirectory("imagehub-jmh"), true, 0);
    }

    private static void generate(Path dir, int images) throws Exception {
        DataGenerator.main(new String[] {dir.toString(), Integer.toString(images), "1000", "10000"});
    }

    /** A new account with one key, made by {@link AccountService#create}. */
    Account createAccount(String name) {
        Credentials c = accounts.create(name, 1).get(0);
        return new Account(c.accountId(), c.secretId(), c.secretKey());
    }

    /**
     * The accounts in {@code role} ("Owner", "Recipient") of the generated fixtures, one per bench client (16), each
     * with the same data: owner k holds 500 images, 50 of them shared with recipient k.
     *
     * <p>A benchmark takes turns among them because H2 hands back a statement's previous result, unread, when the
     * same connection runs it again with the same parameters and no table has changed since; one caller asking again
     * and again on the benchmark's one thread would measure that shortcut instead of the query.
     */
    List<Account> fixtureAccounts(String role) throws IOException {
        List<Account> accounts = new ArrayList<>();
        for (JsonNode client : fixtures().get("Clients")) {
            JsonNode a = client.get(role);
            accounts.add(new Account(a.get("AccountId").asText(), a.get("SecretId").asText(), a.get("SecretKey").asText()));
        }
        return accounts;
    }

    /** The region of the generated fixtures. */
    String region() throws IOException {
        return fixtures().get("Region").asText();
    }

    private JsonNode fixtures() throws IOException {
        return JSON.readTree(dataDir.resolve("bench-fixtures.json").toFile());
    }

    /** A POST request as the SDK signs it (content-type;host, service "127"), at the fixed clock's time. */
    SignedRequest sign(Account account, String action, String region, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        long timestamp = signedAt.getEpochSecond();
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER); // names as in HTTP
        headers.put("Content-Type", CONTENT_TYPE);
        headers.put("Host", HOST);
        headers.put("Authorization", Tc3Signer.authorization(account.secretId(), account.secretKey(), "127", timestamp,
                "POST", "", List.of(new Header("content-type", CONTENT_TYPE), new Header("host", HOST)), bytes));
        headers.put("X-TC-Action", action);
        headers.put("X-TC-Version", ApiGateway.VERSION);
        headers.put("X-TC-Timestamp", Long.toString(timestamp));
        if (region != null) {
            headers.put("X-TC-Region", region);
        }
        return new SignedRequest("POST", "", headers::get, bytes);
    }

    /** A verifier as the node makes it: its signing-key cache starts empty. */
    RequestAuthenticator newAuthenticator() {
        return new RequestAuthenticator(accounts, clock, config.clockSkewSeconds, config.acceptUnsignedPayload);
    }

    /** The node's gateway: the region and image actions. */
    ApiGateway gateway() {
        return gateway;
    }

    /** A gateway as the node makes it, in front of other actions. */
    ApiGateway gateway(ActionRegistry registry) {
        return new ApiGateway(newAuthenticator(), new SignatureV1(accounts, new JdbcNonceLedger(database), clock,
                config.clockSkewSeconds), registry, config);
    }

    ActionRegistry actions() {
        return actions;
    }

    Transactions transactions() {
        return transactions;
    }

    /** The envelope's Response object, after checking that it is not an error (a benchmark must not time one). */
    static JsonNode success(ApiGateway.Reply reply) throws IOException {
        JsonNode response = JSON.readTree(reply.body()).get("Response");
        if (response.has("Error")) {
            throw new IllegalStateException("the benchmark's request fails: " + response);
        }
        return response;
    }

    /** Throws unless {@code actual} equals {@code expected}: set-up checks that a benchmark measures what it says. */
    static void expect(String what, Object expected, Object actual) {
        if (!Objects.equals(expected, actual)) {
            throw new IllegalStateException(what + ": expected " + expected + ", got " + actual);
        }
    }

    @Override
    public void close() throws IOException {
        database.close();
        if (deleteOnClose) {
            TestServer.deleteTree(dataDir);
        }
    }
}
