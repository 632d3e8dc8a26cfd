package io.imagehub.it;

import static io.imagehub.it.SdkAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import com.tencentcloudapi.cvm.v20170312.CvmClient;
import com.tencentcloudapi.cvm.v20170312.models.Image;
import com.tencentcloudapi.cvm.v20170312.models.ModifyImageSharePermissionRequest;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Shares that end by themselves (ImagehubExpireTime), on two nodes over one PostgreSQL. The node the shares are made
 * through runs no job workers, so the expiry can only have been carried out by the other node, from the job the
 * share's transaction queued; the extension member is sent with the official SDK's generic setter.
 */
class ShareExpiryTest {
    private static final String GZ = "ap-guangzhou";
    private static final String ZONE = "ap-guangzhou-3";
    private static final int SHARE_LIMIT = 2;

    private static EmbeddedPostgres postgres;
    private static FileServer files;
    private static Path masterKey;
    private static TestServer sharingNode;
    private static TestServer workingNode;
    private static String diskUrl;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        files = new FileServer();
        diskUrl = files.put("expiring.raw", FoundationTest.randomBytes(8192));
        masterKey = Files.createTempDirectory("imagehub-keys").resolve("master.key");
        workingNode = node(2); // first: migrates the schema and seeds the public images
        sharingNode = node(0);
    }

    private static TestServer node(int jobWorkers) throws Exception {
        return TestServer.importingFrom(files, c -> {
            c.dbUrl = postgres.getJdbcUrl("postgres", "postgres");
            c.dbUser = "postgres";
            c.masterKeyFile = masterKey;
            c.jobWorkers = jobWorkers;
            c.shareLimit = SHARE_LIMIT;
            c.instanceTransitionMillis = 50;
            c.shareExpiryMaxDays = 30;
        });
    }

    @AfterAll
    static void stop() throws Exception {
        sharingNode.close();
        workingNode.close();
        files.close();
        postgres.close();
        TestServer.deleteTree(masterKey.getParent());
    }

    private record Scene(CvmClient owner, RawClient ownerRaw, String imageId, List<TestServer.Account> recipients) {
        CvmClient recipient(int i) {
            return sharingNode.client(recipients.get(i), GZ);
        }

        String id(int i) {
            return recipients.get(i).accountId();
        }
    }

    private static Scene scene(String name, int recipients) throws TencentCloudSDKException {
        TestServer.Account owner = sharingNode.createAccount(name);
        String imageId = Images.importReady(workingNode.client(owner, GZ), diskUrl, name);
        return new Scene(sharingNode.client(owner, GZ), new RawClient(sharingNode, owner), imageId,
                sharingNode.createAccounts(name + "-recipient", recipients));
    }

    /** SHARE with the extension member set through the SDK's generic setter ({@code AbstractModel#set}). */
    private static void shareUntil(CvmClient owner, String imageId, Object expireTime, String... accountIds)
            throws TencentCloudSDKException {
        ModifyImageSharePermissionRequest request = new ModifyImageSharePermissionRequest();
        request.setImageId(imageId);
        request.setAccountIds(accountIds);
        request.setPermission("SHARE");
        request.set("ImagehubExpireTime", expireTime);
        owner.ModifyImageSharePermission(request);
    }

    /** AccountId -> ImagehubExpireTime (or "" when the share has none), as the owner reads them. */
    private static Map<String, String> expiries(RawClient owner, String imageId) {
        JsonNode set = owner.call("DescribeImageSharePermission", GZ, "{\"ImageId\":\"" + imageId + "\"}")
                .path("SharePermissionSet");
        return StreamSupport.stream(set.spliterator(), false).collect(Collectors.toMap(
                p -> p.path("AccountId").asText(), p -> p.path("ImagehubExpireTime").asText()));
    }

    private static Instant secondsAhead(long seconds) {
        return Instant.now().plusSeconds(seconds).truncatedTo(ChronoUnit.SECONDS);
    }

    private static void sleepUntil(Instant at) throws InterruptedException {
        long millis = Duration.between(Instant.now(), at).toMillis();
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }

    private static List<JsonNode> expiredEvents(String imageId) {
        return AdminAudit.ofImage(workingNode.endpoint(), workingNode.adminToken(), imageId).stream()
                .filter(e -> "share-expired".equals(e.path("Action").asText())).toList();
    }

    private static List<JsonNode> awaitExpiredEvent(String imageId) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        List<JsonNode> events = expiredEvents(imageId);
        while (events.isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            events = expiredEvents(imageId);
        }
        return events;
    }

    private static List<String> sharedIds(CvmClient recipient) throws TencentCloudSDKException {
        return Shares.sharedWithMe(recipient).stream().map(Image::getImageId).toList();
    }

    @Test
    void anExpiringShareEndsOnTimeOnANodeThatDidNotCreateIt() throws Exception {
        Scene s = scene("expiring", 3);
        Instant expiry = secondsAhead(4);
        shareUntil(s.owner(), s.imageId(), expiry.toString(), s.id(0));
        Shares.share(s.owner(), s.imageId(), s.id(1));
        assertThat(expiries(s.ownerRaw(), s.imageId()))
                .containsExactlyInAnyOrderEntriesOf(Map.of(s.id(0), expiry.toString(), s.id(1), ""));
        assertThat(sharedIds(s.recipient(0))).as("the recipient's listing before the expiry").containsExactly(s.imageId());
        Instances.run(s.recipient(0), ZONE, s.imageId(), 1);
        assertRefused("OverQuota", () -> Shares.share(s.owner(), s.imageId(), s.id(2)));

        sleepUntil(expiry);
        assertRefused("InvalidImageId.NotFound", () -> Instances.run(s.recipient(0), ZONE, s.imageId(), 1));
        assertThat(expiries(s.ownerRaw(), s.imageId())).containsOnlyKeys(s.id(1));

        List<JsonNode> expired = awaitExpiredEvent(s.imageId());
        assertThat(expired).as("one share-expired event, by nobody, naming the recipient").singleElement()
                .satisfies(e -> {
                    assertThat(e.path("Accounts")).extracting(JsonNode::asText).containsExactly(s.id(0));
                    assertThat(e.path("ActorId").isMissingNode() || e.path("ActorId").isNull()).isTrue();
                });
        assertThat(sharedIds(s.recipient(0))).as("gone from the recipient's (cached) listing").isEmpty();
        assertThat(sharedIds(s.recipient(1))).as("the share without expiry stays").containsExactly(s.imageId());
        Shares.share(s.owner(), s.imageId(), s.id(2)); // the slot under the limit is free again
        assertThat(expiries(s.ownerRaw(), s.imageId())).containsOnlyKeys(s.id(1), s.id(2));
    }

    @Test
    void reSharingChangesOrClearsTheExpiry() throws Exception {
        Scene s = scene("reshared", 2);
        Instant soon = secondsAhead(2);
        shareUntil(s.owner(), s.imageId(), soon.toString(), s.id(0), s.id(1));
        Instant later = secondsAhead(3600);
        shareUntil(s.owner(), s.imageId(), later.toString(), s.id(0));
        Shares.share(s.owner(), s.imageId(), s.id(1)); // SHARE without the member: until cancelled
        assertThat(expiries(s.ownerRaw(), s.imageId()))
                .containsExactlyInAnyOrderEntriesOf(Map.of(s.id(0), later.toString(), s.id(1), ""));

        sleepUntil(soon.plusMillis(500));
        Instances.run(s.recipient(0), ZONE, s.imageId(), 1);
        Instances.run(s.recipient(1), ZONE, s.imageId(), 1);
        assertThat(expiredEvents(s.imageId())).isEmpty();
        assertThat(expiries(s.ownerRaw(), s.imageId())).containsOnlyKeys(s.id(0), s.id(1));
    }

    @Test
    void anExpiryThatIsNotAFutureTimeWithinTheHorizonIsRefusedAndChangesNothing() throws Exception {
        Scene s = scene("badexpiry", 1);
        Function<Object, org.assertj.core.api.ThrowableAssert.ThrowingCallable> share =
                value -> () -> shareUntil(s.owner(), s.imageId(), value, s.id(0));
        assertRefused("InvalidParameterValue", share.apply("tomorrow"));
        assertRefused("InvalidParameterValue", share.apply(Instant.now().minusSeconds(60).toString()));
        assertRefused("InvalidParameterValue", share.apply(secondsAhead(31L * 24 * 3600).toString()));
        ModifyImageSharePermissionRequest cancel = new ModifyImageSharePermissionRequest();
        cancel.setImageId(s.imageId());
        cancel.setAccountIds(new String[] {s.id(0)});
        cancel.setPermission("CANCEL");
        cancel.set("ImagehubExpireTime", secondsAhead(60).toString());
        assertRefused("InvalidParameterCombination", () -> s.owner().ModifyImageSharePermission(cancel));
        assertThat(expiries(s.ownerRaw(), s.imageId())).isEmpty();
    }
}
