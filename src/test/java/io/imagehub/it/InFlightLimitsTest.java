package io.imagehub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagehub.config.StoreConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How much work one account may have under way (docs/adr/0015-request-limits.md), on TWO nodes sharing ONE
 * PostgreSQL: concurrent calls sent to both nodes at once take exactly the configured number of slots, a refused
 * SyncImages batch creates nothing, and exports answer Tencent's own code. Every job worker is kept busy by stalled
 * downloads, so the jobs that are admitted stay queued and the counts cannot drift while the test looks.
 */
class InFlightLimitsTest {
    private static final String GZ = "ap-guangzhou";
    private static final int IMPORTS = 3;
    private static final int UPLOADS = 2;
    private static final int SYNCS = 1;
    private static final int EXPORTS = 1;
    private static final int CALLS = 12;

    private static EmbeddedPostgres postgres;
    private static FileServer files;
    private static Path exportTarget;
    private static List<TestServer> nodes;
    private static TestServer.Account syncer;
    private static TestServer.Account exporter;
    private static String syncSource;
    private static String exportSource;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        files = new FileServer();
        exportTarget = Files.createTempDirectory("imagehub-export");
        Path shared = Files.createTempDirectory("imagehub-inflight");
        nodes = new ArrayList<>();
        for (int n = 0; n < 2; n++) { // one after the other: the first migrates the schema
            nodes.add(TestServer.importingFrom(files, c -> {
                c.dbUrl = postgres.getJdbcUrl("postgres", "postgres");
                c.dbUser = "postgres";
                c.importAllow.add(files.brokenBaseUrl());
                c.masterKeyFile = shared.resolve("master.key"); // both nodes must read each other's keys
                c.adminToken = "inflight-admin-token";
                c.jobWorkers = 1;
                c.importReadTimeoutSeconds = 600;
                c.exportTargets = Map.of("exports", StoreConfig.directory(exportTarget));
                c.maxImportsPerAccount = IMPORTS;
                c.maxUploadsPerAccount = UPLOADS;
                c.maxSyncsPerAccount = SYNCS;
                c.maxExportsPerAccount = EXPORTS;
            }));
        }
        syncer = nodes.get(0).createAccount("syncer");
        exporter = nodes.get(0).createAccount("exporter");
        byte[] disk = ImageBytes.disk(1 << 20, 5);
        syncSource = Images.importReady(nodes.get(0).client(syncer, GZ), files.put("sync.raw", disk), "source");
        exportSource = Images.importReady(nodes.get(1).client(exporter, GZ), files.put("export.raw", disk), "source");
        // both nodes' workers (one each) now hang on downloads that never end: later jobs stay queued
        TestServer.Account blocker = nodes.get(0).createAccount("blocker");
        String stalled = files.stalledUrl("sync.raw");
        for (int i = 0; i < 2; i++) {
            assertThat(RawClient.errorCode(new RawClient(nodes.get(i), blocker).call("ImportImage", GZ,
                    importBody(stalled, "blocker-" + i)))).isNull();
        }
        for (int waited = 0; count("SELECT COUNT(*) FROM jobs WHERE state = 'RUNNING'", null) < 2; waited++) {
            assertThat(waited).as("both workers took a stalled download").isLessThan(200);
            Thread.sleep(50);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        files.close(); // first: the stalled downloads break off, so the workers stop at once
        for (TestServer node : nodes) {
            node.close();
        }
        postgres.close();
        TestServer.deleteTree(exportTarget);
    }

    @Test
    void concurrentImportsOnTwoNodesTakeExactlyTheAccountsSlots() throws Exception {
        TestServer.Account racer = nodes.get(0).createAccount("import-racer");
        String url = files.stalledUrl("sync.raw");

        List<String> codes = race(i -> new RawClient(nodes.get(i % 2), racer).call("ImportImage", GZ,
                importBody(url, "race-" + i)));

        assertThat(codes).filteredOn(c -> c == null).hasSize(IMPORTS);
        assertThat(codes).filteredOn(c -> c != null).hasSize(CALLS - IMPORTS).containsOnly("LimitExceeded");
        assertThat(count("SELECT COUNT(*) FROM images WHERE owner_id = ?", racer.accountId())).isEqualTo(IMPORTS);
        assertThat(count("SELECT COUNT(*) FROM jobs j JOIN images i ON i.image_id = j.image_id "
                + "WHERE j.kind = 'import' AND i.owner_id = ?", racer.accountId())).isEqualTo(IMPORTS);
    }

    @Test
    void concurrentUploadsOnTwoNodesTakeExactlyTheAccountsSlots() throws Exception {
        TestServer.Account racer = nodes.get(0).createAccount("upload-racer");

        List<String> codes = race(i -> UploadsTest.openUpload(new RawClient(nodes.get(i % 2), racer),
                "upload-" + i, 4096));

        assertThat(codes).filteredOn(c -> c == null).hasSize(UPLOADS);
        assertThat(codes).filteredOn(c -> c != null).containsOnly("LimitExceeded");
        assertThat(count("SELECT COUNT(*) FROM images WHERE owner_id = ?", racer.accountId())).isEqualTo(UPLOADS);
    }

    @Test
    void aSyncImagesBatchOverTheBoundCreatesNothingAndOneWithinItIsAdmitted() throws Exception {
        RawClient api = new RawClient(nodes.get(1), syncer);
        long imagesBefore = count("SELECT COUNT(*) FROM images WHERE owner_id = ?", syncer.accountId());

        JsonNode refused = api.call("SyncImages", GZ, syncBody("ap-shanghai\",\"ap-beijing"));

        assertThat(RawClient.errorCode(refused)).isEqualTo("LimitExceeded");
        assertThat(refused.at("/Error/Message").asText()).isEqualTo("Your account has 0 image copies (SyncImages "
                + "destinations) under way; at most 1 are allowed at once.");
        assertThat(count("SELECT COUNT(*) FROM images WHERE owner_id = ?", syncer.accountId())).isEqualTo(imagesBefore);
        assertThat(count("SELECT COUNT(*) FROM jobs WHERE kind = 'sync'", null)).isZero();

        assertThat(RawClient.errorCode(api.call("SyncImages", GZ, syncBody("ap-shanghai")))).isNull();
        assertThat(RawClient.errorCode(new RawClient(nodes.get(0), syncer).call("SyncImages", GZ,
                syncBody("ap-beijing")))).isEqualTo("LimitExceeded");
        assertThat(count("SELECT COUNT(*) FROM images WHERE owner_id = ?", syncer.accountId()))
                .isEqualTo(imagesBefore + 1);
    }

    @Test
    void concurrentExportsOnTwoNodesAreHeldToTheBoundWithTencentsCode() throws Exception {
        List<String> codes = race(i -> new RawClient(nodes.get(i % 2), exporter).call("ExportImages", GZ,
                "{\"BucketName\":\"exports\",\"ImageIds\":[\"" + exportSource + "\"],\"FileNamePrefixList\":[\"e" + i
                        + "\"]}"));

        assertThat(codes).filteredOn(c -> c == null).hasSize(EXPORTS);
        assertThat(codes).filteredOn(c -> c != null).hasSize(CALLS - EXPORTS)
                .containsOnly("LimitExceeded.ExportImageTaskLimitExceeded");
        assertThat(count("SELECT COUNT(*) FROM jobs WHERE kind = 'export'", null)).isEqualTo(EXPORTS);
    }

    /** {@link #CALLS} calls at once (released together), answered by their error codes (null: success). */
    private static List<String> race(IntFunction<JsonNode> call) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(CALLS)) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < CALLS; i++) {
                int n = i;
                Callable<String> task = () -> {
                    go.await();
                    return RawClient.errorCode(call.apply(n));
                };
                answers.add(pool.submit(task));
            }
            go.countDown();
            List<String> codes = new ArrayList<>();
            for (Future<String> answer : answers) {
                codes.add(answer.get());
            }
            return codes;
        }
    }

    private static String importBody(String url, String name) {
        return "{\"ImageUrl\":\"" + url + "\",\"ImageName\":\"" + name + "\",\"Architecture\":\"x86_64\","
                + "\"OsType\":\"CentOS\",\"OsVersion\":\"7\"}";
    }

    private static String syncBody(String destinations) {
        return "{\"ImageIds\":[\"" + syncSource + "\"],\"DestinationRegions\":[\"" + destinations + "\"]}";
    }

    private static long count(String sql, String parameter) throws Exception {
        try (Connection c = nodes.get(0).node().database().dataSource().getConnection();
             PreparedStatement s = c.prepareStatement(sql)) {
            if (parameter != null) {
                s.setString(1, parameter);
            }
            try (ResultSet r = s.executeQuery()) {
                r.next();
                long n = r.getLong(1);
                c.rollback();
                return n;
            }
        }
    }
}
