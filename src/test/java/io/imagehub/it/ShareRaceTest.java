package io.imagehub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import com.tencentcloudapi.cvm.v20170312.CvmClient;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 32 clients share, cancel, read and delete the same few images at once through TWO imagehub processes on ONE
 * PostgreSQL. Afterwards the audit trail (written in each change's own transaction, under the image's row lock, so
 * its order per image is the order the changes took effect) is replayed: the share count never passed the limit,
 * a delete only ever happened with no share left and nothing succeeded on an image after its delete. The database
 * and every surviving image's share list must agree with the replay.
 */
class ShareRaceTest {
    private static final String GZ = "ap-guangzhou";
    private static final int SHARE_LIMIT = 5;
    private static final int CLIENTS = 32;
    private static final int CALLS_PER_CLIENT = 20;
    private static final int IMAGES = 4;
    private static final int RECIPIENTS = 8;
    private static final Set<String> EXPECTED_REFUSALS = Set.of("OverQuota", "InvalidImageId.InShared",
            "InvalidImageId.NotFound");
    private static final String ADMIN_TOKEN = "race-admin-token";

    private static EmbeddedPostgres postgres;
    private static FileServer files;
    private static Path dataRoot;
    private static List<NodeProcess> nodes;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        files = new FileServer();
        dataRoot = Files.createTempDirectory("imagehub-race");
        byte[] masterKey = new byte[32];
        new SecureRandom().nextBytes(masterKey);
        // the nodes must share the key that encrypts stored SecretKeys, or one could not check the other's keys
        Map<String, String> env = Map.of("IMAGEHUB_ADMIN_TOKEN", ADMIN_TOKEN,
                "IMAGEHUB_MASTER_KEY", Base64.getEncoder().encodeToString(masterKey));
        List<String> args = List.of("--db-url", postgres.getJdbcUrl("postgres", "postgres"), "--db-user", "postgres",
                "--share-limit", Integer.toString(SHARE_LIMIT), "--import-allow", files.baseUrl());
        nodes = new ArrayList<>();
        // one after the other: the first migrates the schema and seeds the public images
        for (int n = 0; n < 2; n++) {
            nodes.add(new NodeProcess(dataRoot.resolve("node" + n), env, args));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (NodeProcess node : nodes) {
            node.close();
        }
        files.close();
        postgres.close();
        TestServer.deleteTree(dataRoot);
    }

    @Test
    void concurrentSharesCancelsAndDeletesOnTwoNodesKeepEveryInvariant() throws Exception {
        String nodeA = nodes.get(0).endpoint();
        String nodeB = nodes.get(1).endpoint();
        TestServer.Account owner = TestServer.createAccounts(nodeA, ADMIN_TOKEN, "owner", 1).get(0);
        List<String> recipients = TestServer.createAccounts(nodeB, ADMIN_TOKEN, "recipient", RECIPIENTS).stream()
                .map(TestServer.Account::accountId).toList();
        CvmClient ownerA = TestServer.client(nodeA, owner.secretId(), owner.secretKey(), GZ);
        String url = files.put("race.raw", FoundationTest.randomBytes(4096));
        List<String> images = new ArrayList<>();
        for (int i = 0; i < IMAGES; i++) {
            images.add(Images.importReady(ownerA, url, "race-" + i));
            // start at the limit, so that deletes must wait for cancels and shares meet the limit at once
            Shares.share(ownerA, images.get(i), recipients.subList(0, SHARE_LIMIT).toArray(String[]::new));
        }

        List<String> unexpected = new CopyOnWriteArrayList<>();
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(CLIENTS)) {
            for (int c = 0; c < CLIENTS; c++) {
                String endpoint = c % 2 == 0 ? nodeA : nodeB;
                Random random = new Random(c);
                CvmClient client = TestServer.client(endpoint, owner.secretId(), owner.secretKey(), GZ);
                pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < CALLS_PER_CLIENT; i++) {
                        String image = images.get(random.nextInt(IMAGES));
                        String outcome = callOnce(client, random, image, recipients, unexpected);
                        outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
                    }
                    return null;
                });
            }
            go.countDown();
        }
        assertThat(unexpected).as("calls answered with something other than success or an expected refusal").isEmpty();

        int deleted = 0;
        for (String image : images) {
            Set<String> replayed = replay(AdminAudit.ofImage(nodeB, ADMIN_TOKEN, image));
            boolean gone = Images.find(ownerA, image).isEmpty();
            if (gone) {
                deleted++;
                assertThat(replayed).as("shares of deleted image " + image).isEmpty();
                assertThat(sharesInDatabase(image)).isZero();
                for (String recipient : recipients) {
                    assertThat(sharesOf(recipient)).doesNotContain(image);
                }
            } else {
                assertThat(Shares.recipients(ownerA, image)).as("share list of " + image)
                        .containsExactlyInAnyOrderElementsOf(replayed);
            }
        }
        System.out.printf("storm outcomes %s, images deleted %d of %d%n", outcomes, deleted, IMAGES);
        // the storm must have met each rule under test at least once, or it proved nothing
        assertThat(outcomes).as("outcomes " + outcomes).containsKeys("OverQuota", "InvalidImageId.InShared");
        assertThat(deleted).as("images deleted during the storm, outcomes " + outcomes).isPositive();
    }

    /** One random call as the owner; returns "Success" or the refusal's code, recording anything unexpected. */
    private static String callOnce(CvmClient client, Random random, String image, List<String> recipients,
                                   List<String> unexpected) {
        int op = random.nextInt(20);
        try {
            if (op < 9) {
                Shares.share(client, image, pick(random, recipients, 1 + random.nextInt(3)));
            } else if (op < 14) {
                Shares.cancel(client, image, pick(random, recipients, 1 + random.nextInt(2)));
            } else if (op < 15) {
                Shares.cancel(client, image, recipients.toArray(String[]::new));
            } else if (op < 18) {
                Shares.delete(client, image);
            } else {
                int count = Shares.recipients(client, image).size();
                if (count > SHARE_LIMIT) {
                    unexpected.add("DescribeImageSharePermission listed " + count + " accounts for " + image);
                }
            }
            return "Success";
        } catch (TencentCloudSDKException e) {
            if (!EXPECTED_REFUSALS.contains(e.getErrorCode())) {
                unexpected.add(e.toString());
            }
            return String.valueOf(e.getErrorCode());
        }
    }

    private static String[] pick(Random random, List<String> from, int n) {
        List<String> shuffled = new ArrayList<>(from);
        Collections.shuffle(shuffled, random);
        return shuffled.subList(0, n).toArray(String[]::new);
    }

    /** Replays the successful changes of one image in order; returns who holds a share at the end. */
    private static Set<String> replay(List<JsonNode> events) {
        Set<String> holders = new HashSet<>();
        boolean deleted = false;
        for (JsonNode e : events) {
            if (!e.path("Outcome").asText().equals("Success")) {
                continue;
            }
            String action = e.path("Action").asText();
            assertThat(deleted).as(action + " succeeded after the image was deleted: " + e).isFalse();
            List<String> accounts = new ArrayList<>();
            e.path("Accounts").forEach(a -> accounts.add(a.asText()));
            switch (action) {
                case "ShareImage" -> {
                    holders.addAll(accounts);
                    assertThat(holders).as("shares after " + e).hasSizeLessThanOrEqualTo(SHARE_LIMIT);
                }
                case "CancelImageShare" -> holders.removeIf(accounts::contains);
                case "DeleteImages" -> {
                    assertThat(holders).as("shares when the delete succeeded: " + e).isEmpty();
                    deleted = true;
                }
                default -> { } // the import that made the image

            }
        }
        return holders;
    }

    private static List<String> sharesOf(String accountId) throws Exception {
        return query("SELECT image_id FROM image_shares WHERE account_id = ?", accountId);
    }

    private static long sharesInDatabase(String imageId) throws Exception {
        return query("SELECT account_id FROM image_shares WHERE image_id = ?", imageId).size();
    }

    private static List<String> query(String sql, String param) throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); var statement = c.prepareStatement(sql)) {
            statement.setString(1, param);
            List<String> values = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
            return values;
        }
    }
}
