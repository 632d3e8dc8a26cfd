package io.imagehub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.tencentcloudapi.cvm.v20170312.CvmClient;
import io.imagehub.api.Tc3Signer;
import io.imagehub.app.Imagehub;
import io.imagehub.blob.ChunkStore;
import io.imagehub.domain.DataPlaneService;
import io.imagehub.domain.ImageService;
import io.imagehub.jobs.JobRunner;
import io.imagehub.store.JdbcChunkReferences;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three node processes on one PostgreSQL and one S3 endpoint, started with serve's flags as an operator would,
 * behind a load balancer that checks /readyz ({@link Cluster}), under a mixed workload of many clients
 * ({@link MixedWorkload}). One node is killed (SIGKILL) in the middle of a big import and again in the middle of a
 * big SyncImages to a region in another bucket: both finish elsewhere with the right digest once the lease runs out,
 * every call not in flight on the dead node succeeds, the final state equals a serial replay of the calls on a fresh
 * node, and after garbage collection every stored chunk is referenced and every referenced chunk stored. Then one
 * node is stopped with SIGTERM under the same load: /readyz turns 503 while it still answers, its running job is
 * handed over (not left to its lease), a download in flight finishes, and no client sees an error.
 * The big image is 64 MiB in {@code mvn verify} and 512 MiB under {@code -Psoak}; {@code -Dimagehub.cluster.mib=N}
 * sets it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {
    private static final String GZ = MixedWorkload.GZ;
    private static final String FAR = Cluster.FAR_REGION;
    private static final int CLIENTS = 8;
    /** Enough to meet every kind of change around both kills; the replay's cost grows with it. */
    private static final int CHANGES_PER_CLIENT = 30;
    private static final Duration PAUSE = Duration.ofMillis(300);
    private static final Duration WAIT = Duration.ofSeconds(120);

    private static Cluster cluster;
    private static Path work;
    private static Path disk;
    private static String diskDigest;
    private static String firstChunk;

    private final List<String> killed = new ArrayList<>();
    private final List<Thread> restarts = new ArrayList<>();
    private final List<String> restartFailures = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    static void start(@TempDir Path tempDir) throws Exception {
        work = tempDir;
        int mib = Integer.getInteger("imagehub.cluster.mib", Boolean.getBoolean("imagehub.soak") ? 512 : 64);
        disk = work.resolve("big.raw");
        List<String> chunks = new ArrayList<>();
        diskDigest = ImageBytes.writeDisk(disk, mib / 4, 512, chunks::add);
        firstChunk = chunks.get(0);
        // copies paced so that one is caught half-way; the drain long enough to see the node answer during it
        cluster = Cluster.start(Cluster.Options.defaults().copyBytesPerSecond((long) mib << 20 >> 3).drainSeconds(4));
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void anImageImportedThroughOneNodeIsServedByEveryNodeFromTheSharedBucket() throws Exception {
        TestServer.Account alice = cluster.createAccounts("alice", 1).get(0);
        byte[] small = ImageBytes.disk(9 << 20, 7); // three chunks
        String url = cluster.files().put("three-chunks.raw", small);
        String imageId = Images.importReady(TestServer.client(cluster.node(0).endpoint(), alice, GZ), url, "shared");

        for (String endpoint : cluster.endpoints()) {
            CvmClient client = TestServer.client(endpoint, alice, GZ);
            assertThat(Images.find(client, imageId).orElseThrow().getImageState()).isEqualTo("NORMAL");
            assertThat(ImageBytes.digest(new RawClient(endpoint, alice.secretId(), alice.secretKey()), GZ, imageId))
                    .isEqualTo("sha256:" + Tc3Signer.sha256Hex(small));
        }
        assertThat(cluster.balancer().healthy()).containsExactlyInAnyOrderElementsOf(cluster.endpoints());
        assertThat(cluster.s3().keys(Cluster.BUCKET).stream().filter(k -> k.startsWith("chunks/"))).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    @Order(2)
    void aNodeKilledMidImportAndMidSyncLosesNothingAndTheStateEqualsASerialReplay() throws Exception {
        List<TestServer.Account> workers = cluster.createAccounts("w", CLIENTS);
        List<String> urls = smallImages();
        MixedWorkload workload = new MixedWorkload(cluster.balancer()::call, workers, urls, CHANGES_PER_CLIENT, PAUSE);
        List<Thread> clients = workload.start(42);
        Instant began = Instant.now();
        TestServer.Account big = cluster.createAccounts("big", 1).get(0);

        // 1. the big import, downloading slowly, loses its node a tenth of the way in
        long bytes = Files.size(disk);
        cluster.throttled().setBytesPerSecond(bytes / 8);
        String url = cluster.throttled().put("big.raw", disk);
        String imageId = ok(cluster.balancer().call(big, "ImportImage", GZ, importBody("big", url))).get("ImageId").asText();
        awaitTrue(() -> syncPercent(big, GZ, imageId) >= 10, "the big import under way");
        killNodeRunning(ImageService.JOB_IMPORT, imageId);
        cluster.throttled().setBytesPerSecond(0);
        assertThat(awaitSettled(big, GZ, imageId)).isEqualTo("NORMAL");
        assertThat(digest(big, GZ, imageId)).isEqualTo("sha256:" + diskDigest);
        restartKilled();
        phase(began, "import killed and finished");

        // 2. its copy to the far bucket (copies are paced) loses its node a fifth of the way in
        String copyId = ok(cluster.balancer().call(big, "SyncImages", GZ, "{\"ImageIds\":[\"" + imageId
                + "\"],\"DestinationRegions\":[\"" + FAR + "\"],\"ImageSetRequired\":true}")).at("/ImageSet/0/ImageId").asText();
        awaitTrue(() -> syncPercent(big, FAR, copyId) >= 20, "the big copy under way");
        killNodeRunning(DataPlaneService.JOB_SYNC, copyId);
        assertThat(awaitSettled(big, FAR, copyId)).isEqualTo("NORMAL");
        assertThat(digest(big, FAR, copyId)).isEqualTo("sha256:" + diskDigest);
        restartKilled();
        phase(began, "sync killed and finished");

        // 3. the workload stops; every job it started finishes; the killed nodes are back
        workload.stop(clients);
        for (Thread restart : restarts) {
            restart.join();
        }
        assertThat(restartFailures).as("killed nodes started again").isEmpty();
        NormalState.Reader clusterDb = new NormalState.Reader(cluster.database());
        awaitTrue(() -> clusterDb.unfinishedJobs() == 0, "every job finished");
        System.out.printf("workload: %d calls, %d changes, %d lost on the killed nodes%n", workload.calls.get(),
                workload.changes.size(), workload.lost.size());
        assertThat(workload.errors).as("calls that failed other than in flight on a killed node").isEmpty();
        assertThat(workload.lost).as("calls lost").allSatisfy(reply -> assertThat(killed).contains(reply.server()));
        assertThat(workload.changes).as("changes made").hasSizeGreaterThan(CLIENTS * 3);

        phase(began, "workload stopped, jobs finished");
        // 4. the same changes, serially, on a fresh single node, end in the same state
        List<MixedWorkload.Change> settled = workload.settleLost(clusterDb);
        assertThat(workload.errors).as("lost calls whose effect is not what was audited").isEmpty();
        try (TestServer fresh = TestServer.importingFrom(cluster.files(), c -> { });
             LoadBalancer direct = new LoadBalancer(() -> List.of(fresh.endpoint()), Duration.ofMillis(100))) {
            List<TestServer.Account> replayAccounts = fresh.createAccounts("w", CLIENTS);
            MixedWorkload replay = new MixedWorkload(direct::call, replayAccounts, urls, Integer.MAX_VALUE, Duration.ZERO);
            assertThat(replay.replay(settled)).as("outcomes of the replay")
                    .containsExactlyElementsOf(settled.stream().filter(c -> !c.outcome().equals(MixedWorkload.NOT_APPLIED)).toList());
            assertThat(replay.errors).isEmpty();
            NormalState inCluster = NormalState.of(cluster.database(), ids(workers), workload.imageKeys);
            NormalState replayed = NormalState.of(fresh.node().database().dataSource(), ids(replayAccounts), replay.imageKeys);
            assertThat(inCluster.images()).as("images").containsExactlyElementsOf(replayed.images());
            assertThat(inCluster.shares()).as("shares").containsExactlyElementsOf(replayed.shares());
            assertThat(inCluster.quotas()).as("images per account and region").isEqualTo(replayed.quotas());
            assertThat(inCluster.audit()).as("audit trail").containsExactlyElementsOf(replayed.audit());
            assertThat(inCluster.images()).as("images made").isNotEmpty();
        }

        phase(began, "replay compared");
        // 5. after garbage collection every stored chunk is referenced and every referenced chunk is stored
        try (Imagehub collector = cluster.inProcessNode(c -> c.gcGraceSeconds = 0)) {
            collector.garbageCollector().run();
            Set<String> stored = new HashSet<>();
            for (ChunkStore store : collector.chunkStores().distinct()) {
                store.forEach(stored::add);
            }
            Set<String> referenced = new JdbcChunkReferences(collector.database()).referencedChunks();
            assertThat(stored).as("chunks stored").isEqualTo(referenced);
            assertThat(collector.chunkStores().forRegion(FAR).contains(firstChunk)).isTrue();
        }
    }

    @Test
    @Order(3)
    void aNodeStoppedWithSigtermLeavesTheBalancerFirstHandsItsJobOverAndNoClientSeesAnError() throws Exception {
        List<TestServer.Account> workers = cluster.createAccounts("t", CLIENTS);
        MixedWorkload workload = new MixedWorkload(cluster.balancer()::call, workers, smallImages(), CHANGES_PER_CLIENT, PAUSE);
        List<Thread> clients = workload.start(7);
        TestServer.Account owner = cluster.createAccounts("drain", 1).get(0);
        byte[] middle = ImageBytes.disk(64 << 20, 3);
        Path middleFile = Files.write(work.resolve("middle.raw"), middle);
        String downloadable = ok(cluster.balancer().call(owner, "ImportImage", GZ,
                importBody("downloadable", cluster.files().put("downloadable.raw", middle)))).get("ImageId").asText();
        assertThat(awaitSettled(owner, GZ, downloadable)).isEqualTo("NORMAL");

        // an import downloading slowly, and the node that runs it
        cluster.throttled().setBytesPerSecond(middle.length / 32);
        String imageId = ok(cluster.balancer().call(owner, "ImportImage", GZ,
                importBody("handed-over", cluster.throttled().put("middle.raw", middleFile)))).get("ImageId").asText();
        awaitTrue(() -> syncPercent(owner, GZ, imageId) >= 3, "the import under way");
        OptionalInt running = cluster.nodeRunning(ImageService.JOB_IMPORT, imageId);
        assertThat(running).isPresent();
        NodeProcess leaving = cluster.node(running.getAsInt());
        String endpoint = leaving.endpoint();

        // a download from that node, read slowly, is in flight when it gets SIGTERM
        RawClient direct = new RawClient(endpoint, owner.secretId(), owner.secretKey());
        String path = direct.call("ImagehubDescribeImageDownload", GZ, "{\"ImageId\":\"" + downloadable + "\"}")
                .get("DownloadUrl").asText();
        SlowDownload download = new SlowDownload(URI.create("http://" + endpoint + path));
        download.awaitStarted();
        leaving.terminate();

        awaitTrue(() -> readyz(endpoint) == 503, "/readyz answering 503 while the node drains");
        assertThat(direct.call("DescribeImages", GZ, "{\"ImageIds\":[\"" + imageId + "\"]}").path("Error").isMissingNode())
                .as("a call on a new connection during the drain is answered").isTrue();
        awaitTrue(() -> !cluster.balancer().healthy().contains(endpoint), "the balancer taking the node out");
        String[] job = {null, null};
        awaitTrue(() -> {
            List<String[]> rows = new NormalState.Reader(cluster.database()).rows("SELECT last_error, lease_owner FROM jobs "
                    + "WHERE kind = ? AND image_id = ?", ImageService.JOB_IMPORT, imageId);
            job[0] = rows.get(0)[0];
            job[1] = rows.get(0)[1];
            return JobRunner.HANDED_OVER.equals(job[0]) && job[1] != null;
        }, "the import queued again by its node and taken by another");
        assertThat(job[1]).as("the import's new lease owner").doesNotStartWith(leaving.pid() + "@");
        cluster.throttled().setBytesPerSecond(0);
        assertThat(leaving.awaitExit(WAIT)).as("exit code of the stopped node").isNotEqualTo(-1);

        assertThat(download.digest()).as("the download in flight at SIGTERM, complete")
                .isEqualTo(Tc3Signer.sha256Hex(middle));
        assertThat(awaitSettled(owner, GZ, imageId)).isEqualTo("NORMAL");
        assertThat(digest(owner, GZ, imageId)).isEqualTo("sha256:" + Tc3Signer.sha256Hex(middle));
        workload.stop(clients);
        System.out.printf("workload during the drain: %d calls%n", workload.calls.get());
        assertThat(workload.errors).as("client errors").isEmpty();
        assertThat(workload.lost).as("calls lost").isEmpty();
        cluster.restart(cluster.endpoints().indexOf(endpoint));
    }

    /** GET /readyz's status, or -1 when nothing answers. */
    private static int readyz(String endpoint) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + endpoint + "/readyz"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** A download read 1 MiB at a time with a pause between, hashed as it arrives. */
    private static final class SlowDownload {
        private final java.util.concurrent.CompletableFuture<String> digest = new java.util.concurrent.CompletableFuture<>();
        private final java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);

        SlowDownload(URI url) {
            Thread.ofVirtual().start(() -> {
                try (var in = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url).build(),
                        HttpResponse.BodyHandlers.ofInputStream()).body()) {
                    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
                    byte[] piece = new byte[1 << 20];
                    for (int n = in.readNBytes(piece, 0, piece.length); n > 0; n = in.readNBytes(piece, 0, piece.length)) {
                        sha256.update(piece, 0, n);
                        started.countDown();
                        Thread.sleep(80);
                    }
                    digest.complete(HexFormat.of().formatHex(sha256.digest()));
                } catch (Exception e) {
                    digest.completeExceptionally(e);
                } finally {
                    started.countDown();
                }
            });
        }

        void awaitStarted() throws InterruptedException {
            started.await();
        }

        String digest() throws Exception {
            return digest.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    private static void phase(Instant began, String what) {
        System.out.printf("%5.1f s %s%n", Duration.between(began, Instant.now()).toMillis() / 1e3, what);
    }

    private void killNodeRunning(String kind, String imageId) throws Exception {
        OptionalInt[] node = {OptionalInt.empty()};
        awaitTrue(() -> {
            try {
                node[0] = cluster.nodeRunning(kind, imageId);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
            return node[0].isPresent();
        }, "a node running the " + kind + " job");
        int index = node[0].getAsInt();
        killed.add(cluster.endpoints().get(index));
        cluster.kill(index);
    }

    /** Starts the last killed node again in the background (a JVM start is slow on a loaded machine). */
    private void restartKilled() {
        int index = cluster.endpoints().indexOf(killed.get(killed.size() - 1));
        restarts.add(Thread.ofVirtual().start(() -> {
            try {
                cluster.restart(index);
            } catch (java.io.IOException e) {
                restartFailures.add(e.toString());
            }
        }));
    }

    private static List<String> smallImages() {
        return List.of(cluster.files().put("small-a.raw", ImageBytes.disk(64 << 10, 1)),
                cluster.files().put("small-b.raw", ImageBytes.disk(5 << 20, 2)));
    }

    private static Set<String> ids(List<TestServer.Account> accounts) {
        return accounts.stream().map(TestServer.Account::accountId).collect(Collectors.toSet());
    }

    static String importBody(String name, String url) {
        return "{\"ImageName\":\"" + name + "\",\"ImageUrl\":\"" + url
                + "\",\"OsType\":\"CentOS\",\"OsVersion\":\"7\",\"Architecture\":\"x86_64\"}";
    }

    /** The Response of a call that must succeed (a call lost here would be a failure of the test's own set-up). */
    private static JsonNode ok(LoadBalancer.Reply reply) {
        assertThat(reply.outcome()).as(reply.toString()).isEqualTo("Success");
        return reply.response();
    }

    private static JsonNode describe(TestServer.Account account, String region, String imageId) {
        LoadBalancer.Reply reply;
        do { // a listing lost on a node that just died is asked again
            reply = cluster.balancer().call(account, "DescribeImages", region, "{\"ImageIds\":[\"" + imageId + "\"]}");
        } while (reply.lost());
        return ok(reply).at("/ImageSet/0");
    }

    private static long syncPercent(TestServer.Account account, String region, String imageId) {
        return describe(account, region, imageId).path("SyncPercent").asLong(0);
    }

    private static String digest(TestServer.Account account, String region, String imageId) {
        return describe(account, region, imageId).path("ImagehubSha256").asText();
    }

    private static String awaitSettled(TestServer.Account account, String region, String imageId) throws Exception {
        String[] state = {null};
        awaitTrue(() -> {
            state[0] = describe(account, region, imageId).path("ImageState").asText();
            return !state[0].equals("IMPORTING") && !state[0].equals("SYNCING");
        }, imageId + " settled");
        return state[0];
    }

    static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(what + ": not seen within " + WAIT);
            }
            Thread.sleep(50);
        }
    }

}
