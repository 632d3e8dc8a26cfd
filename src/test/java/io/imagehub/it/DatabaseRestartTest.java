package io.imagehub.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import com.tencentcloudapi.common.profile.HttpProfile;
import com.tencentcloudapi.cvm.v20170312.CvmClient;
import com.tencentcloudapi.cvm.v20170312.models.DescribeImagesRequest;
import com.tencentcloudapi.cvm.v20170312.models.Filter;
import com.tencentcloudapi.cvm.v20170312.models.Image;
import io.imagehub.api.Tc3Signer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL stops and starts again (same port, same data directory) while clients keep calling two nodes with
 * reads and writes: renames, shares, imports, and an import whose download spans the outage. While it is down every
 * call is answered, fast, {@code ServiceUnavailable} with a RequestId, and {@code /readyz} is 503; once it is back the
 * nodes answer again by themselves, their job workers finish every import, and the stored state (a normalised dump
 * of the test account's images, shares and audit trail) is exactly what the acknowledged calls made, applied once
 * each, with nothing of the refused ones.
 */
class DatabaseRestartTest {
    private static final String GZ = "ap-guangzhou";
    private static final int CLIENTS = 4;
    /** The SDK clients' read timeout; every answer must come well within it. */
    private static final int CLIENT_TIMEOUT_SECONDS = 30;
    private static final Duration ANSWER_BOUND = Duration.ofSeconds(10);
    private static final Set<String> WRITES = Set.of("ModifyImageAttribute", "ModifyImageSharePermission", "ImportImage");

    private static Path pgData;
    private static EmbeddedPostgres postgres;
    private static int pgPort;
    private static FileServer files;
    private static ThrottledFileServer slowFiles;
    private static Path masterKey;
    private static final List<TestServer> nodes = new ArrayList<>();
    private static final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private static TestServer.Account alice;
    private static TestServer.Account bob;

    /** One answered call: what was asked, of which node, and what came back. */
    private record Call(int client, String action, String target, String value, String requestId, String code,
                        Duration took, Instant at) {
        boolean succeeded() {
            return "Success".equals(code);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        pgData = Files.createTempDirectory("imagehub-pg");
        postgres = postgres(0);
        pgPort = postgres.getPort();
        files = new FileServer();
        slowFiles = new ThrottledFileServer();
        masterKey = Files.createTempDirectory("imagehub-keys").resolve("master.key");
        nodes.add(node()); // first: migrates the schema
        nodes.add(node());
        alice = nodes.get(0).createAccount("restart-alice");
        bob = nodes.get(0).createAccount("restart-bob");
        log.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(log);
    }

    /** PostgreSQL on {@link #pgData}, kept when it stops; {@code port} 0 picks a free one. */
    private static EmbeddedPostgres postgres(int port) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setDataDirectory(pgData).setCleanDataDirectory(false);
        return (port == 0 ? builder : builder.setPort(port)).start();
    }

    private static TestServer node() throws IOException {
        return TestServer.importingFrom(files, c -> {
            c.importAllow.add(slowFiles.baseUrl());
            c.dbUrl = postgres.getJdbcUrl("postgres", "postgres");
            c.dbUser = "postgres";
            c.dbPoolSize = 4;
            c.dbConnectionTimeoutMillis = 1000;
            c.dbStatementTimeoutSeconds = 5;
            c.masterKeyFile = masterKey;
            c.jobWorkers = 2;
            c.jobLeaseSeconds = 5;
            c.imageQuota = 10_000;
        });
    }

    @AfterAll
    static void stop() throws Exception {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(log);
        for (TestServer node : nodes) {
            node.close();
        }
        files.close();
        slowFiles.close();
        postgres.close();
        TestServer.deleteTree(pgData);
        TestServer.deleteTree(masterKey.getParent());
    }

    private static CvmClient client(int node, TestServer.Account account) {
        return TestServer.client(nodes.get(node).endpoint(), HttpProfile.REQ_HTTP, account, GZ,
                profile -> profile.getHttpProfile().setReadTimeout(CLIENT_TIMEOUT_SECONDS));
    }

    @Test
    void callsFailFastAndRetriablyWhileTheDatabaseIsDownAndEverythingRecoversByItself() throws Exception {
        List<String> own = new ArrayList<>();
        for (int i = 0; i <= CLIENTS; i++) { // one per client, and the last for the calls made during the outage
            own.add(Images.importImage(client(0, alice), files.put("own-" + i + ".raw", FoundationTest.randomBytes(8192)), "own-" + i));
        }
        for (String imageId : own) {
            assertThat(Images.awaitSettled(client(0, alice), imageId).getImageState()).isEqualTo("NORMAL");
        }
        String probed = own.get(CLIENTS);
        Instant workloadStart = Instant.now();
        List<Call> calls = new CopyOnWriteArrayList<>();
        Workload workload = new Workload(own, calls);
        workload.start();
        Thread.sleep(1000);

        Path slowDisk = Files.createTempFile(pgData.getParent(), "slow", ".raw");
        byte[] slowBytes = FoundationTest.randomBytes(1536 * 1024);
        Files.write(slowDisk, slowBytes);
        slowFiles.setBytesPerSecond(512 * 1024);
        String slowUrl = slowFiles.put("slow.raw", slowDisk);
        Call slow = importCall(-1, client(1, alice), "spans-the-outage", slowUrl);
        calls.add(slow);
        assertThat(slow.code()).isEqualTo("Success");
        String slowImport = slow.target();
        Thread.sleep(500); // its download is under way on a job worker

        Instant down = Instant.now();
        postgres.close();
        Thread.sleep(500);
        for (TestServer node : nodes) {
            Instant asked = Instant.now();
            assertThat(readyz(node)).as("/readyz while the database is down").isEqualTo(503);
            assertThat(Duration.between(asked, Instant.now())).isLessThan(ANSWER_BOUND);
        }
        List<Call> whileDown = List.of(
                call(-1, "DescribeImages", null, null, () -> client(0, alice).DescribeImages(new DescribeImagesRequest()).getRequestId()),
                call(-1, "ModifyImageAttribute", probed, "renamed-while-down", () -> Images.rename(client(1, alice), probed, "renamed-while-down")),
                call(-1, "ModifyImageSharePermission", probed, "SHARE", () -> Shares.share(client(0, alice), probed, bob.accountId())),
                importCall(-1, client(1, alice), "imported-while-down"));
        calls.addAll(whileDown);
        assertThat(whileDown).as("a read and each kind of write while the database is down").allSatisfy(c -> {
            assertThat(c.code()).isEqualTo("ServiceUnavailable");
            assertThat(c.requestId()).isNotBlank();
            assertThat(c.took()).isLessThan(ANSWER_BOUND);
        });

        Instant up = Instant.now();
        postgres = postgres(pgPort);
        Duration recovery = awaitReady();
        Thread.sleep(1000);
        workload.stop();

        assertThat(recovery).as("both nodes ready again, without a restart").isLessThan(Duration.ofSeconds(15));
        assertThat(calls).as("every call answered with an envelope, well within the client's timeout")
                .allSatisfy(c -> {
                    assertThat(c.code()).isIn("Success", "ServiceUnavailable");
                    assertThat(c.took()).isLessThan(ANSWER_BOUND);
                    assertThat(c.requestId()).isNotBlank();
                });
        List<Call> unavailable = calls.stream().filter(c -> !c.succeeded()).toList();
        assertThat(unavailable).as("calls refused during the outage").isNotEmpty()
                .allSatisfy(c -> assertThat(c.at()).isAfter(down.minusSeconds(1)));
        assertThat(calls).as("calls that succeeded after the database came back")
                .anySatisfy(c -> assertThat(c.succeeded() && c.at().isAfter(up)).isTrue());

        assertThat(Images.awaitSettled(client(0, alice), slowImport).getImageState()).isEqualTo("NORMAL");
        assertThat(ImageBytes.digest(new RawClient(nodes.get(0), alice), GZ, slowImport))
                .isEqualTo("sha256:" + Tc3Signer.sha256Hex(slowBytes));
        for (Call c : calls) {
            if (c.action().equals("ImportImage") && c.succeeded()) {
                assertThat(Images.awaitSettled(client(0, alice), c.target()).getImageState())
                        .as("an acknowledged import, finished by the job workers").isEqualTo("NORMAL");
            }
        }
        assertThat(dump(workloadStart)).as("the stored state").isEqualTo(expectedDump(own, calls));
        for (int node = 0; node < nodes.size(); node++) {
            assertThat(names(client(node, alice))).as("node %d's listing (cached before the outage)", node)
                    .isEqualTo(expectedDump(own, calls).get("names"));
        }

        List<ILoggingEvent> outages = log.list.stream()
                .filter(e -> e.getFormattedMessage().startsWith("the database cannot be reached")).toList();
        assertThat(outages).as("the outage logged once per node, not per request").hasSizeBetween(1, 2 * nodes.size());
        assertThat(unavailable.size()).isGreaterThan(4 * outages.size());
        assertThat(log.list).as("no stack trace from imagehub")
                .noneMatch(e -> e.getLoggerName().startsWith("io.imagehub") && e.getThrowableProxy() != null
                        && e.getLevel().isGreaterOrEqual(Level.WARN));
        String metrics = get(nodes.get(0), "/metrics").body();
        assertThat(metrics).contains("outcome=\"ServiceUnavailable\"").contains("hikaricp_connections_timeout_total");
    }

    /** Clients that each rename and share their own image with bob, import new ones and list, round-robin over the nodes. */
    private final class Workload {
        private final List<String> own;
        private final List<Call> calls;
        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean running = true;

        Workload(List<String> own, List<Call> calls) {
            this.own = own;
            this.calls = calls;
        }

        void start() {
            for (int i = 0; i < CLIENTS; i++) {
                int client = i;
                threads.add(Thread.ofPlatform().name("client-" + i).start(() -> run(client)));
            }
        }

        void stop() throws InterruptedException {
            running = false;
            for (Thread t : threads) {
                t.join();
            }
        }

        private void run(int client) {
            String imageId = own.get(client);
            boolean shared = false;
            for (int n = 0; running; n++) {
                CvmClient cvm = client(n % nodes.size(), alice);
                String step = switch (n % 8) {
                    case 1 -> "rename";
                    case 3 -> shared ? "cancel" : "share";
                    case 5 -> "import";
                    default -> "describe";
                };
                String value = "c" + client + "-" + n;
                Call call = switch (step) {
                    case "rename" -> call(client, "ModifyImageAttribute", imageId, value,
                            () -> Images.rename(cvm, imageId, value));
                    case "share" -> call(client, "ModifyImageSharePermission", imageId, "SHARE",
                            () -> Shares.share(cvm, imageId, bob.accountId()));
                    case "cancel" -> call(client, "ModifyImageSharePermission", imageId, "CANCEL",
                            () -> Shares.cancel(cvm, imageId, bob.accountId()));
                    case "import" -> importCall(client, cvm, value);
                    default -> call(client, "DescribeImages", null, null, () -> cvm.DescribeImages(
                            privateImages(0)).getRequestId());
                };
                calls.add(call);
                if (call.succeeded() && call.action().equals("ModifyImageSharePermission")) {
                    shared = !shared;
                }
                pause();
            }
        }

    }

    /** ImportImage of a small new file. */
    private static Call importCall(int client, CvmClient cvm, String name) {
        return importCall(client, cvm, name, files.put(name + ".raw", FoundationTest.randomBytes(4096)));
    }

    /** ImportImage of {@code url} as {@code name}; the call's target is the image id it answered. */
    private static Call importCall(int client, CvmClient cvm, String name, String url) {
        String[] imageId = {null};
        Call call = call(client, "ImportImage", null, name, () -> {
            var response = cvm.ImportImage(Images.importRequest(url, name));
            imageId[0] = response.getImageId();
            return response.getRequestId();
        });
        return new Call(call.client(), call.action(), imageId[0], name, call.requestId(), call.code(), call.took(),
                call.at());
    }

    @FunctionalInterface
    private interface SdkCall {
        String requestId() throws TencentCloudSDKException;
    }

    private static Call call(int client, String action, String target, String value, SdkCall sdk) {
        Instant at = Instant.now();
        String requestId;
        String code;
        try {
            requestId = sdk.requestId();
            code = "Success";
        } catch (TencentCloudSDKException e) {
            requestId = e.getRequestId();
            code = e.getErrorCode(); // a transport failure (no envelope) has no RequestId and fails the test
        }
        return new Call(client, action, target, value, requestId, code, Duration.between(at, Instant.now()), at);
    }

    private static void pause() {
        try {
            Thread.sleep(40);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * What the acknowledged calls made, applied in the order they were answered (each client's calls are serial and
     * touch only its own image): alice's image names, the images shared with bob, and the RequestIds of the audited
     * changes (since the workload began) with their action.
     */
    private static Map<String, Object> expectedDump(List<String> own, List<Call> calls) {
        Map<String, String> names = new TreeMap<>();
        Set<String> shared = new TreeSet<>();
        Map<String, String> audited = new TreeMap<>();
        for (int i = 0; i < own.size(); i++) {
            names.put(own.get(i), "own-" + i);
        }
        for (Call c : calls) {
            if (!c.succeeded() || !WRITES.contains(c.action())) {
                continue;
            }
            switch (c.action()) {
                case "ModifyImageAttribute", "ImportImage" -> {
                    names.put(c.target(), c.value());
                    audited.put(c.requestId(), c.action());
                }
                default -> { // the audit trail names a share's two directions apart
                    if (c.value().equals("SHARE")) {
                        shared.add(c.target());
                        audited.put(c.requestId(), "ShareImage");
                    } else {
                        shared.remove(c.target());
                        audited.put(c.requestId(), "CancelImageShare");
                    }
                }
            }
        }
        return Map.of("names", names, "shared", shared, "audited", audited);
    }

    /** The same, read from the database: alice's images, those shared with bob, and the audit trail of alice's changes since {@code since}. */
    private static Map<String, Object> dump(Instant since) throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            Map<String, String> names = new TreeMap<>();
            try (ResultSet r = s.executeQuery("SELECT image_id, image_name FROM images WHERE owner_id = '" + alice.accountId() + "'")) {
                while (r.next()) {
                    names.put(r.getString(1), r.getString(2));
                }
            }
            Set<String> shared = new TreeSet<>();
            try (ResultSet r = s.executeQuery("SELECT image_id FROM image_shares WHERE account_id = '" + bob.accountId() + "'")) {
                while (r.next()) {
                    shared.add(r.getString(1));
                }
            }
            Map<String, String> audited = new TreeMap<>();
            try (PreparedStatement q = c.prepareStatement("SELECT request_id, action, outcome FROM audit_events "
                    + "WHERE actor_id = ? AND at >= ? AND action IN ('ModifyImageAttribute', 'ShareImage', 'CancelImageShare', "
                    + "'ImportImage')")) {
                q.setString(1, alice.accountId());
                q.setObject(2, OffsetDateTime.ofInstant(since, ZoneOffset.UTC));
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        String outcome = r.getString(3).equals("Success") ? "" : " " + r.getString(3);
                        audited.merge(r.getString(1), r.getString(2) + outcome, (a, b) -> a + "+" + b);
                    }
                }
            }
            Map<String, Object> dump = new HashMap<>();
            dump.put("names", names);
            dump.put("shared", shared);
            dump.put("audited", audited);
            return dump;
        }
    }

    /** A page of the caller's private images: the workload's reads, so the nodes' listing caches hold its answer. */
    private static DescribeImagesRequest privateImages(long offset) {
        DescribeImagesRequest request = new DescribeImagesRequest();
        Filter privateOnly = new Filter();
        privateOnly.setName("image-type");
        privateOnly.setValues(new String[] {"PRIVATE_IMAGE"});
        request.setFilters(new Filter[] {privateOnly});
        request.setOffset(offset);
        request.setLimit(100L);
        return request;
    }

    /** Image id -> name of alice's private images, as DescribeImages on one node lists them. */
    private static Map<String, String> names(CvmClient cvm) throws TencentCloudSDKException {
        Map<String, String> names = new TreeMap<>();
        for (long offset = 0; ; offset += 100) {
            Image[] page = cvm.DescribeImages(privateImages(offset)).getImageSet();
            for (Image image : page) {
                names.put(image.getImageId(), image.getImageName());
            }
            if (page.length < 100) {
                return names;
            }
        }
    }

    private static Duration awaitReady() throws Exception {
        Instant start = Instant.now();
        for (TestServer node : nodes) {
            while (readyz(node) != 200) {
                assertThat(Duration.between(start, Instant.now())).as("back within").isLessThan(Duration.ofSeconds(30));
                Thread.sleep(100);
            }
        }
        return Duration.between(start, Instant.now());
    }

    private static int readyz(TestServer node) throws Exception {
        return get(node, "/readyz").statusCode();
    }

    private static HttpResponse<String> get(TestServer node, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.baseUrl() + path))
                .timeout(Duration.ofSeconds(CLIENT_TIMEOUT_SECONDS)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
