package io.imagehub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.tencentcloudapi.cvm.v20170312.CvmClient;
import com.tencentcloudapi.cvm.v20170312.models.Image;
import io.imagehub.Main;
import io.imagehub.api.Tc3Signer;
import io.imagehub.cli.Cli;
import io.imagehub.cli.CliContext;
import io.imagehub.cli.ExitCodes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code imagehub backup --to} (the CLI, reaching the node's admin surface over HTTP as users do) while a real node
 * takes imports, shares, cancels and deletes from several SDK clients and collects garbage every second, then
 * {@code imagehub restore} into a fresh data dir and a new node on it: every call acknowledged
 * before the backup started is there (images NORMAL with their digests and bytes, shares, audit events), an import in
 * flight during the snapshot resumes, and every image is in a state some prefix of its own calls produced, never half
 * of one. Also the refusals: non-empty targets, incomplete or corrupt backups, a wrong master key.
 */
class BackupRestoreTest {
    private static final String GZ = "ap-guangzhou";
    private static final String ADMIN_TOKEN = "backup-restore-admin-token";
    private static final int MIB = 1 << 20;
    private final HttpClient http = HttpClient.newHttpClient();

    /** One acknowledged or attempted change of one image, in the order its client sent them. */
    private record Op(String kind, String recipient, long sentNanos, long ackedNanos, String requestId) {
    }

    /** What one image's calls have made of it. */
    private record ImageState(boolean exists, Set<String> recipients) {
    }

    /** An image the workload made: its expected bytes and every call on it, in order. */
    private record Tracked(String owner, String digest, List<Op> ops) {
        /** The state after the first {@code k} calls. */
        ImageState after(int k) {
            boolean exists = false;
            Set<String> recipients = new TreeSet<>();
            for (Op op : ops.subList(0, k)) {
                switch (op.kind()) {
                    case "IMPORT" -> exists = true;
                    case "SHARE" -> recipients.add(op.recipient());
                    case "CANCEL" -> recipients.remove(op.recipient());
                    case "DELETE" -> {
                        exists = false;
                        recipients.clear();
                    }
                    default -> throw new IllegalStateException(op.kind());
                }
            }
            return new ImageState(exists, recipients);
        }
    }

    record Run(int exit, String out, String err) {
    }

    @Test
    void anOnlineBackupUnderConcurrentWritesRestoresEveryAcknowledgedCall(@TempDir Path work) throws Exception {
        Map<String, byte[]> disks = new LinkedHashMap<>();
        disks.put("a.raw", ImageBytes.disk(4 * MIB + 1, 1));
        disks.put("b.raw", ImageBytes.disk(2 * MIB, 2));
        disks.put("c.raw", ImageBytes.disk(MIB, 3));
        Path slowDisk = Files.write(work.resolve("slow.raw"), ImageBytes.disk(6 * MIB, 4));
        String slowDigest = "sha256:" + Tc3Signer.sha256Hex(Files.readAllBytes(slowDisk));
        try (FileServer files = new FileServer(); ThrottledFileServer slow = new ThrottledFileServer();
             // garbage collection every second, with a grace period just long enough for a put's temporary file
             // (the sweep of stale ones uses it too): a chunk the snapshot names survives only by the hold
             TestServer old = new TestServer(c -> {
                 c.importAllow.addAll(List.of(files.baseUrl(), slow.baseUrl()));
                 c.jobWorkers = 3; // one for the slow import
                 c.gcGraceSeconds = 3;
                 c.gcIntervalSeconds = 1;
             })) {
            Map<String, String> urls = new LinkedHashMap<>();
            disks.forEach((name, bytes) -> urls.put(files.put(name, bytes), "sha256:" + Tc3Signer.sha256Hex(bytes)));
            List<TestServer.Account> accounts = old.createAccounts("backup", 5);
            List<TestServer.Account> owners = accounts.subList(0, 3);
            List<String> recipients = List.of(accounts.get(3).accountId(), accounts.get(4).accountId());

            Map<String, Tracked> tracked = new ConcurrentHashMap<>();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> clients = new ArrayList<>();
            for (int i = 0; i < owners.size(); i++) {
                TestServer.Account owner = owners.get(i);
                int seed = i;
                clients.add(Thread.ofPlatform().start(() -> {
                    try {
                        workload(old.client(owner, GZ), owner.accountId(), seed, urls, recipients, tracked, stop,
                                imageId -> AdminAudit.ofImage(old.endpoint(), old.adminToken(), imageId).toString());
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            awaitTrue(() -> tracked.values().stream().mapToInt(t -> t.ops().size()).sum() >= 12
                    || !failures.isEmpty(), "the workload under way");

            // an import that is under way from before the backup starts until after it ends (6 MiB at 512 KiB/s)
            slow.setBytesPerSecond(512 * 1024);
            CvmClient firstOwner = old.client(owners.get(0), GZ);
            String inFlight = Images.importImage(firstOwner, slow.put("slow.raw", slowDisk), "in-flight");

            long backupStarted = System.nanoTime();
            Path backup = work.resolve("backup");
            Run backedUp = cli("backup", "--to", backup.toString(), "--endpoint", old.baseUrl(),
                    "--admin-token", old.adminToken());
            long backupEnded = System.nanoTime();
            assertThat(backedUp.exit()).as(backedUp.err()).isZero();
            assertThat(Images.find(firstOwner, inFlight).orElseThrow().getImageState())
                    .as("the import was in flight during the whole backup").isEqualTo("IMPORTING");
            Thread.sleep(300); // writes after the backup, which the restore may or may not show
            stop.set(true);
            for (Thread client : clients) {
                client.join();
            }
            assertThat(failures).as("the node served every call during the backup").isEmpty();
            List<JsonNode> oldTrail = AdminAudit.get(old.endpoint(), old.adminToken(), "");
            slow.setBytesPerSecond(0);

            Path newData = work.resolve("new");
            Run restored = cli("restore", "--from", backup.toString(), "--data-dir", newData.toString(),
                    "--master-key", old.dataDir().resolve("master.key").toString());
            assertThat(restored.exit()).as(restored.err()).isZero();
            Instant newNodeStarted = Instant.now();
            // the node `imagehub serve --data-dir NEW` runs, in this process (it reads the same data dir the same way)
            try (TestServer node = new TestServer(c -> {
                c.dataDir = newData;
                c.adminToken = old.adminToken();
                c.importAllow.addAll(List.of(files.baseUrl(), slow.baseUrl()));
            })) {
                // the import in flight during the snapshot resumes on the new node and ends with the file's digest
                CvmClient owner0 = TestServer.client(node.endpoint(), owners.get(0), GZ);
                assertThat(Images.awaitSettled(owner0, inFlight).getImageState()).isEqualTo("NORMAL");
                assertImageBytes(node, owners.get(0), inFlight, slowDigest);

                Set<String> acknowledgedRequests = new HashSet<>();
                for (Map.Entry<String, Tracked> entry : tracked.entrySet()) {
                    String imageId = entry.getKey();
                    Tracked t = entry.getValue();
                    TestServer.Account owner = owners.stream().filter(a -> a.accountId().equals(t.owner()))
                            .findFirst().orElseThrow();
                    int acknowledged = (int) t.ops().stream().filter(op -> op.ackedNanos() < backupStarted).count();
                    int mayBeIn = (int) t.ops().stream().filter(op -> op.sentNanos() < backupEnded).count();
                    t.ops().subList(0, acknowledged).forEach(op -> acknowledgedRequests.add(op.requestId()));
                    List<ImageState> possible = new ArrayList<>();
                    for (int k = acknowledged; k <= mayBeIn; k++) {
                        possible.add(t.after(k));
                    }
                    ImageState found = stateOn(TestServer.client(node.endpoint(), owner, GZ), imageId);
                    assertThat(possible).as("image %s after %d acknowledged and at most %d calls", imageId,
                            acknowledged, mayBeIn).contains(found);
                    if (found.exists()) {
                        assertImageBytes(node, owner, imageId, t.digest());
                    }
                }
                assertThat(acknowledgedRequests).as("calls acknowledged before the backup").hasSizeGreaterThanOrEqualTo(10);

                // every acknowledged call's audit event is there; every event of the backup is one the old node
                // wrote (nothing invented, nothing changed); the new node's own come after its start
                List<JsonNode> newTrail = AdminAudit.get(node.endpoint(), old.adminToken(), "");
                Set<String> restoredRequests = new HashSet<>();
                newTrail.forEach(e -> restoredRequests.add(e.get("RequestId").asText()));
                assertThat(restoredRequests).containsAll(acknowledgedRequests);
                Set<JsonNode> oldEvents = new HashSet<>(oldTrail);
                for (JsonNode event : newTrail) {
                    if (Instant.parse(event.get("Time").asText()).isBefore(newNodeStarted)) {
                        assertThat(oldEvents).as("an event of the backup is one the old node wrote").contains(event);
                    }
                }
            }
        }
    }

    @Test
    void aBackupOrRestoreIntoANonEmptyDirectoryAndAnIncompleteOrCorruptBackupAreRefusedWithoutWritingAnything(
            @TempDir Path work) throws Exception {
        try (FileServer files = new FileServer(); TestServer server = TestServer.importingFrom(files, c -> { })) {
            TestServer.Account alice = server.createAccount("refusals");
            Images.importReady(server.client(alice, GZ), files.put("disk.raw", ImageBytes.disk(5 * MIB, 7)), "one");
            Path masterKey = server.dataDir().resolve("master.key");

            Path occupied = Files.createDirectories(work.resolve("occupied"));
            Files.writeString(occupied.resolve("keep.txt"), "mine");
            Run refused = backup(server, occupied);
            assertThat(refused.exit()).isEqualTo(ExitCodes.NOT_EMPTY);
            assertThat(refused.err()).contains("is not empty");
            assertThat(tree(occupied)).containsExactly("keep.txt");

            Path good = work.resolve("good");
            assertThat(backup(server, good).exit()).isZero();

            Run intoOccupied = restore(good, occupied, masterKey);
            assertThat(intoOccupied.exit()).isEqualTo(ExitCodes.NOT_EMPTY);
            assertThat(tree(occupied)).containsExactly("keep.txt");

            Map<String, Consumer<Path>> damages = new LinkedHashMap<>();
            damages.put("backup.json missing", b -> delete(b.resolve("backup.json")));
            damages.put("backup.json truncated", b -> truncate(b.resolve("backup.json")));
            damages.put("the database file changed", b -> flipByte(b.resolve("database.zip")));
            damages.put("a chunk changed", b -> flipByte(chunkFiles(b).get(0)));
            damages.put("a chunk missing", b -> delete(chunkFiles(b).get(0)));
            damages.put("a chunk list changed", b -> flipByte(b.resolve("stores/default.chunks")));
            for (Map.Entry<String, Consumer<Path>> damage : damages.entrySet()) {
                Path damaged = copyTree(good, work.resolve("damaged-" + damages.keySet().stream().toList()
                        .indexOf(damage.getKey())));
                damage.getValue().accept(damaged);
                Path target = work.resolve("target-" + damaged.getFileName());
                Run run = restore(damaged, target, masterKey);
                assertThat(run.exit()).as(damage.getKey() + ": " + run.err()).isEqualTo(ExitCodes.BACKUP_INVALID);
                assertThat(target).as(damage.getKey() + ": nothing written").doesNotExist();
            }

            Path otherKey = Files.writeString(work.resolve("other.key"), Base64.getEncoder()
                    .encodeToString(ImageBytes.disk(32, 9)));
            Run wrongKey = restore(good, work.resolve("wrong-key"), otherKey);
            assertThat(wrongKey.exit()).isEqualTo(ExitCodes.USAGE);
            assertThat(wrongKey.err()).contains("master key");
            assertThat(work.resolve("wrong-key")).doesNotExist();

            Run intact = restore(good, work.resolve("restored"), masterKey);
            assertThat(intact.exit()).as("the undamaged backup restores: " + intact.err()).isZero();
        }
    }

    private static Run backup(TestServer server, Path to) {
        return cli("backup", "--to", to.toString(), "--endpoint", server.baseUrl(), "--admin-token", server.adminToken());
    }

    private static Run restore(Path from, Path dataDir, Path masterKey) {
        return cli("restore", "--from", from.toString(), "--data-dir", dataDir.toString(), "--master-key",
                masterKey.toString());
    }

    /** Paths of the files under {@code root}, relative to it. */
    private static List<String> tree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(f -> root.relativize(f).toString()).sorted().toList();
        }
    }

    /** A copy of every file (new inodes: damaging the copy leaves the original, and the node's store, intact). */
    private static Path copyTree(Path from, Path to) throws IOException {
        for (String file : tree(from)) {
            Files.createDirectories(to.resolve(file).getParent());
            Files.copy(from.resolve(file), to.resolve(file));
        }
        return to;
    }

    private static List<Path> chunkFiles(Path backup) {
        try (Stream<Path> files = Files.walk(backup.resolve("stores"))) {
            return files.filter(f -> f.getFileName().toString().matches("[0-9a-f]{64}")).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void truncate(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void flipByte(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            bytes[bytes.length / 2] ^= 1;
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Imports, waits, shares, cancels and deletes, recording each call with when it was sent and acknowledged. */
    private static void workload(CvmClient client, String owner, int seed, Map<String, String> urls,
                                 List<String> recipients, Map<String, Tracked> tracked, AtomicBoolean stop,
                                 Function<String, String> auditOf) throws Exception {
        List<String> disks = new ArrayList<>(urls.keySet());
        for (int n = 0; !stop.get(); n++) {
            String url = disks.get((n + seed) % disks.size());
            long sent = System.nanoTime();
            var imported = client.ImportImage(Images.importRequest(url, "w" + seed + "-" + n));
            List<Op> ops = Collections.synchronizedList(new ArrayList<>());
            ops.add(new Op("IMPORT", null, sent, System.nanoTime(), imported.getRequestId()));
            String imageId = imported.getImageId();
            tracked.put(imageId, new Tracked(owner, urls.get(url), ops));
            Image settled = Images.awaitSettled(client, imageId);
            if (!settled.getImageState().equals("NORMAL")) {
                throw new IllegalStateException(imageId + " ended " + settled.getImageState() + ": "
                        + auditOf.apply(imageId));
            }
            record(ops, "SHARE", recipients.get(0), () -> Shares.share(client, imageId, recipients.get(0)));
            if (n % 2 == 0) {
                record(ops, "SHARE", recipients.get(1), () -> Shares.share(client, imageId, recipients.get(1)));
            }
            if (n % 3 == 1) {
                record(ops, "CANCEL", recipients.get(0), () -> Shares.cancel(client, imageId, recipients.get(0)));
            } else if (n % 3 == 2) { // a shared image is deleted only once its shares are cancelled
                for (String recipient : n % 2 == 0 ? recipients : recipients.subList(0, 1)) {
                    record(ops, "CANCEL", recipient, () -> Shares.cancel(client, imageId, recipient));
                }
                record(ops, "DELETE", null, () -> Shares.delete(client, imageId));
            }
        }
    }

    @FunctionalInterface
    private interface Call {
        String send() throws Exception;
    }

    private static void record(List<Op> ops, String kind, String recipient, Call call) throws Exception {
        long sent = System.nanoTime();
        String requestId = call.send();
        ops.add(new Op(kind, recipient, sent, System.nanoTime(), requestId));
    }

    /** The image as its owner sees it on the restored node: whether it is there and whom it is shared with. */
    private static ImageState stateOn(CvmClient owner, String imageId) throws Exception {
        var image = Images.find(owner, imageId);
        if (image.isEmpty()) {
            return new ImageState(false, Set.of());
        }
        assertThat(Images.awaitSettled(owner, imageId).getImageState()).as(imageId).isEqualTo("NORMAL");
        return new ImageState(true, new TreeSet<>(Shares.recipients(owner, imageId)));
    }

    /** The image reports {@code digest}, and downloading it gives bytes with that SHA-256. */
    private void assertImageBytes(TestServer node, TestServer.Account owner, String imageId, String digest)
            throws Exception {
        RawClient raw = new RawClient(node.endpoint(), owner.secretId(), owner.secretKey());
        assertThat(ImageBytes.digest(raw, GZ, imageId)).isEqualTo(digest);
        JsonNode download = raw.call("ImagehubDescribeImageDownload", GZ, "{\"ImageId\":\"" + imageId + "\"}");
        HttpResponse<byte[]> bytes = http.send(HttpRequest.newBuilder(
                URI.create("http://" + node.endpoint() + download.get("DownloadUrl").asText())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(bytes.statusCode()).isEqualTo(200);
        assertThat("sha256:" + Tc3Signer.sha256Hex(bytes.body())).as("downloaded bytes of " + imageId).isEqualTo(digest);
    }

    /** Runs {@code imagehub ARGS} as its main would, with captured output. */
    static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliContext ctx = new CliContext(Map.of(), new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                false);
        int exit = Cli.run(new Main(), ctx, args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
