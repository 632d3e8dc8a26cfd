package io.imagehub.it;

import static io.imagehub.it.SdkAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.tencentcloudapi.common.CommonClient;
import com.tencentcloudapi.common.CommonRequest;
import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import com.tencentcloudapi.cvm.v20170312.CvmClient;
import com.tencentcloudapi.cvm.v20170312.models.DescribeImageQuotaRequest;
import com.tencentcloudapi.cvm.v20170312.models.DescribeImagesRequest;
import com.tencentcloudapi.cvm.v20170312.models.Image;
import com.tencentcloudapi.cvm.v20170312.models.ModifyImageAttributeRequest;
import com.tencentcloudapi.cvm.v20170312.models.SharePermission;
import io.imagehub.api.Tc3Signer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sharing rules (spec section 6), end to end through the official SDK against a real node with the default
 * share limit of 50. Every refusal is checked for its exact code and for leaving everything as it was.
 */
class SharingRulesTest {
    private static final String GZ = "ap-guangzhou";
    private static final String SH = "ap-shanghai";
    private static final int QUOTA = 3;
    private static final byte[] DISK = FoundationTest.randomBytes(64 * 1024 + 3);
    private static final AtomicInteger NAMES = new AtomicInteger();

    private static TestServer server;
    private static FileServer files;
    private static String diskUrl;

    @BeforeAll
    static void start() throws Exception {
        files = new FileServer();
        diskUrl = files.put("shared.raw", DISK);
        server = TestServer.importingFrom(files, c -> {
            c.imageQuota = QUOTA;
        });
        assertThat(server.config().shareLimit).isEqualTo(50);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        files.close();
    }

    /** An owner with one NORMAL custom image in Guangzhou, and recipients that own nothing yet. */
    private record Scene(TestServer.Account owner, CvmClient ownerGz, String imageId, List<TestServer.Account> others) {
        CvmClient gz(int other) {
            return server.client(others.get(other), GZ);
        }

        String id(int other) {
            return others.get(other).accountId();
        }

        String[] ids(int from, int to) {
            return others.subList(from, to).stream().map(TestServer.Account::accountId).toArray(String[]::new);
        }
    }

    private static Scene scene(int others) throws TencentCloudSDKException {
        TestServer.Account owner = account("owner");
        CvmClient ownerGz = server.client(owner, GZ);
        String imageId = Images.importReady(ownerGz, diskUrl, "golden-" + NAMES.incrementAndGet());
        return new Scene(owner, ownerGz, imageId, server.createAccounts("other-" + NAMES.incrementAndGet(), others));
    }

    @Test
    void shareLimitRefusesTheWholeBatchThatWouldExceedIt() throws Exception {
        Scene s = scene(51);
        Shares.share(s.ownerGz(), s.imageId(), s.ids(0, 48));
        assertRefused("OverQuota", () -> Shares.share(s.ownerGz(), s.imageId(), s.ids(47, 51)));
        assertThat(Shares.recipients(s.ownerGz(), s.imageId())).containsExactlyInAnyOrder(s.ids(0, 48));
        assertThat(Shares.sharedWithMe(s.gz(48))).isEmpty();

        Shares.share(s.ownerGz(), s.imageId(), s.ids(47, 50)); // one already there: 48 + 2 = 50, the limit
        assertThat(Shares.recipients(s.ownerGz(), s.imageId())).containsExactlyInAnyOrder(s.ids(0, 50));
        assertRefused("OverQuota", () -> Shares.share(s.ownerGz(), s.imageId(), s.id(50)));
        assertThat(Shares.recipients(s.ownerGz(), s.imageId())).hasSize(50).doesNotContain(s.id(50));
    }

    @Test
    void recipientSeesSharedImageAsSharedImageAndOwnerAsPrivateImage() throws Exception {
        Scene s = scene(1);
        Shares.share(s.ownerGz(), s.imageId(), s.id(0));

        List<SharePermission> permissions = Shares.permissions(s.ownerGz(), s.imageId());
        assertThat(permissions).singleElement().satisfies(p -> {
            assertThat(p.getAccountId()).isEqualTo(s.id(0));
            assertThat(p.getCreatedTime()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        });
        assertThat(Shares.sharedWithMe(s.gz(0))).singleElement().satisfies(image -> {
            assertThat(image.getImageId()).isEqualTo(s.imageId());
            assertThat(image.getImageType()).isEqualTo("SHARED_IMAGE");
            assertThat(image.getImageCreator()).isEqualTo(s.owner().accountId());
        });
        assertThat(s.gz(0).DescribeImages(Shares.listing(0, 100)).getImageSet())
                .filteredOn(i -> i.getImageId().equals(s.imageId())).extracting(Image::getImageType)
                .containsExactly("SHARED_IMAGE");
        assertThat(s.gz(0).DescribeImages(Shares.listing(0, 100, "PRIVATE_IMAGE", "PUBLIC_IMAGE")).getImageSet())
                .extracting(Image::getImageId).doesNotContain(s.imageId());
        assertThat(Images.find(s.ownerGz(), s.imageId()).orElseThrow().getImageType()).isEqualTo("PRIVATE_IMAGE");
        assertThat(Shares.sharedWithMe(s.ownerGz())).extracting(Image::getImageId).doesNotContain(s.imageId());
    }

    @Test
    void strangerCannotLearnThatAPrivateImageExists() throws Exception {
        Scene s = scene(2);
        Shares.share(s.ownerGz(), s.imageId(), s.id(0));
        CvmClient stranger = s.gz(1);
        String missing = "img-00000000";

        assertThat(Images.find(stranger, s.imageId())).isEmpty();
        assertThat(Shares.sharedWithMe(stranger)).isEmpty();
        for (ImageCall call : List.<ImageCall>of(
                id -> Shares.share(stranger, id, s.id(0)),
                id -> Shares.share(stranger, id, s.owner().accountId()),
                id -> Shares.share(stranger, id, "999999999999"),
                id -> Shares.cancel(stranger, id, s.id(0)),
                id -> Shares.permissions(stranger, id),
                id -> Images.rename(stranger, id, "mine-now"),
                id -> Shares.delete(stranger, id))) {
            var forExisting = assertRefused("InvalidImageId.NotFound", () -> call.on(s.imageId()));
            var forMissing = assertRefused("InvalidImageId.NotFound", () -> call.on(missing));
            assertThat(forExisting.getMessage().replace(s.imageId(), missing)).isEqualTo(forMissing.getMessage());
        }
        assertThat(Shares.recipients(s.ownerGz(), s.imageId())).containsExactly(s.id(0));
        assertThat(Images.find(s.ownerGz(), s.imageId()).orElseThrow().getImageName()).startsWith("golden-");
    }

    @Test
    void recipientCannotShareOnwardCancelOrReadTheShareList() throws Exception {
        Scene s = scene(2);
        Shares.share(s.ownerGz(), s.imageId(), s.id(0));
        CvmClient recipient = s.gz(0);
        assertRefused("UnauthorizedOperation.ImageNotBelongToAccount", () -> Shares.share(recipient, s.imageId(), s.id(1)));
        assertRefused("UnauthorizedOperation.ImageNotBelongToAccount", () -> Shares.cancel(recipient, s.imageId(), s.id(0)));
        assertRefused("UnauthorizedOperation.ImageNotBelongToAccount", () -> Shares.permissions(recipient, s.imageId()));
        assertThat(Shares.recipients(s.ownerGz(), s.imageId())).containsExactly(s.id(0));
        assertThat(Shares.sharedWithMe(s.gz(1))).isEmpty();
    }

    @Test
    void shareWithOwnAccountIsRefusedAndNothingIsShared() throws Exception {
        Scene s = scene(1);
        assertRefused("InvalidAccountIs.YourSelf",
                () -> Shares.share(s.ownerGz(), s.imageId(), s.id(0), s.owner().accountId()));
        assertThat(Shares.recipients(s.ownerGz(), s.imageId())).isEmpty();
    }

    @Test
    void shareWithUnknownAccountIsRefusedAndNothingIsShared() throws Exception {
        Scene s = scene(1);
        assertRefused("InvalidAccountId.NotFound", () -> Shares.share(s.ownerGz(), s.imageId(), s.id(0), "999999999999"));
        assertRefused("InvalidAccountId.NotFound", () -> Shares.share(s.ownerGz(), s.imageId(), s.id(0), "alice"));
        assertThat(Shares.recipients(s.ownerGz(), s.imageId())).isEmpty();
        assertThat(Shares.sharedWithMe(s.gz(0))).isEmpty();
    }

    @Test
    void shareOfAnImageThatIsNotNormalIsRefused() throws Exception {
        TestServer.Account owner = account("owner");
        CvmClient ownerGz = server.client(owner, GZ);
        String failed = Images.importImage(ownerGz, files.baseUrl() + "no-such-disk.raw", "failed");
        assertThat(Images.awaitSettled(ownerGz, failed).getImageState()).isEqualTo("IMPORTFAILED");
        String recipient = account("recipient").accountId();
        assertRefused("InvalidParameterValue.InvalidImageState", () -> Shares.share(ownerGz, failed, recipient));
        assertThat(Shares.recipients(ownerGz, failed)).isEmpty();
    }

    @Test
    void shareWithAnAccountThatAlreadyHasItIsIdempotent() throws Exception {
        Scene s = scene(2);
        Shares.share(s.ownerGz(), s.imageId(), s.id(0));
        List<SharePermission> before = Shares.permissions(s.ownerGz(), s.imageId());
        Shares.share(s.ownerGz(), s.imageId(), s.id(0), s.id(0)); // see docs/adr/0004-idempotent-share.md
        assertThat(Shares.permissions(s.ownerGz(), s.imageId())).usingRecursiveFieldByFieldElementComparator()
                .containsExactlyElementsOf(before);
        Shares.cancel(s.ownerGz(), s.imageId(), s.id(1)); // cancelling a share that does not exist also succeeds
        assertThat(Shares.recipients(s.ownerGz(), s.imageId())).containsExactly(s.id(0));
    }

    @Test
    void permissionMustBeShareOrCancel() throws Exception {
        Scene s = scene(1);
        assertRefused("InvalidParameterValue", () -> Shares.modify(s.ownerGz(), s.imageId(), "GRANT", s.id(0)));
        assertThat(Shares.recipients(s.ownerGz(), s.imageId())).isEmpty();
    }

    @Test
    void publicImagesCannotBeShared() throws Exception {
        TestServer.Account account = account("owner");
        CvmClient gz = server.client(account, GZ);
        String publicId = gz.DescribeImages(Shares.listing(0, 1, "PUBLIC_IMAGE")).getImageSet()[0].getImageId();
        String other = account("other").accountId();
        assertRefused("UnauthorizedOperation.ImageNotBelongToAccount", () -> Shares.share(gz, publicId, other));
        assertRefused("UnauthorizedOperation.ImageNotBelongToAccount", () -> Shares.permissions(gz, publicId));
        assertThat(Images.find(server.client(account, GZ), publicId).orElseThrow().getImageType()).isEqualTo("PUBLIC_IMAGE");
    }

    @Test
    void recipientCannotRenameOrRedescribeSharedImage() throws Exception {
        Scene s = scene(1);
        Shares.share(s.ownerGz(), s.imageId(), s.id(0));
        Image before = Images.find(s.ownerGz(), s.imageId()).orElseThrow();
        assertRefused("UnsupportedOperation.SharedImageModifyUnsupported", () -> Images.rename(s.gz(0), s.imageId(), "taken"));
        ModifyImageAttributeRequest describe = new ModifyImageAttributeRequest();
        describe.setImageId(s.imageId());
        describe.setImageDescription("hijacked");
        assertRefused("UnsupportedOperation.SharedImageModifyUnsupported", () -> s.gz(0).ModifyImageAttribute(describe));
        Image after = Images.find(s.ownerGz(), s.imageId()).orElseThrow();
        assertThat(after.getImageName()).isEqualTo(before.getImageName());
        assertThat(after.getImageDescription()).isEqualTo(before.getImageDescription());
    }

    @Test
    void recipientCannotDeleteSharedImage() throws Exception {
        Scene s = scene(1);
        Shares.share(s.ownerGz(), s.imageId(), s.id(0));
        assertRefused("InvalidParameterValue.InvalidImageIdIsShared", () -> Shares.delete(s.gz(0), s.imageId()));
        assertThat(Images.find(s.gz(0), s.imageId())).isPresent();
        assertThat(Shares.recipients(s.ownerGz(), s.imageId())).containsExactly(s.id(0));
    }

    @Test
    void ownerRenamesShowThroughToRecipients() throws Exception {
        Scene s = scene(1);
        Shares.share(s.ownerGz(), s.imageId(), s.id(0));
        String newName = "renamed-" + NAMES.incrementAndGet();
        Images.rename(s.ownerGz(), s.imageId(), newName);
        assertThat(Images.find(s.gz(0), s.imageId()).orElseThrow().getImageName()).isEqualTo(newName);
    }

    @Test
    void ownerCannotDeleteSharedImageUntilAllSharesAreCancelled() throws Exception {
        Scene s = scene(2);
        Shares.share(s.ownerGz(), s.imageId(), s.ids(0, 2));
        assertRefused("InvalidImageId.InShared", () -> Shares.delete(s.ownerGz(), s.imageId()));
        Shares.cancel(s.ownerGz(), s.imageId(), s.id(0));
        assertRefused("InvalidImageId.InShared", () -> Shares.delete(s.ownerGz(), s.imageId()));
        assertThat(Images.find(s.ownerGz(), s.imageId())).isPresent();
        assertThat(Shares.recipients(s.ownerGz(), s.imageId())).containsExactly(s.id(1));

        Shares.cancel(s.ownerGz(), s.imageId(), s.id(1));
        Shares.delete(s.ownerGz(), s.imageId());
        assertThat(Images.find(s.ownerGz(), s.imageId())).isEmpty();
        assertThat(Shares.sharedWithMe(s.gz(1))).isEmpty();
    }

    @Test
    void sharedImagesCountOnlyTowardTheOwnersQuota() throws Exception {
        TestServer.Account owner = account("owner");
        CvmClient ownerGz = server.client(owner, GZ);
        TestServer.Account recipient = account("recipient");
        CvmClient recipientGz = server.client(recipient, GZ);
        List<String> shared = new ArrayList<>();
        for (int i = 0; i < QUOTA; i++) {
            shared.add(Images.importReady(ownerGz, diskUrl, "owned-" + i));
            Shares.share(ownerGz, shared.get(i), recipient.accountId());
        }
        assertRefused("ImageQuotaLimitExceeded", () -> Images.importImage(ownerGz, diskUrl, "one-too-many"));

        for (int i = 0; i < QUOTA; i++) { // the recipient's quota is untouched by the images shared with it
            Images.importImage(recipientGz, diskUrl, "own-" + i);
        }
        assertRefused("ImageQuotaLimitExceeded", () -> Images.importImage(recipientGz, diskUrl, "one-too-many"));
        assertThat(recipientGz.DescribeImageQuota(new DescribeImageQuotaRequest()).getImageNumQuota()).isEqualTo(QUOTA);
        assertThat(Shares.sharedWithMe(recipientGz)).extracting(Image::getImageId).containsExactlyInAnyOrderElementsOf(shared);
    }

    @Test
    void shareExistsOnlyInTheImageRegion() throws Exception {
        Scene s = scene(1);
        Shares.share(s.ownerGz(), s.imageId(), s.id(0));
        CvmClient recipientSh = server.client(s.others().get(0), SH);
        assertThat(Images.find(recipientSh, s.imageId())).isEmpty();
        assertThat(Shares.sharedWithMe(recipientSh)).isEmpty();
        assertThat(recipientSh.DescribeImages(Shares.listing(0, 100)).getImageSet())
                .extracting(Image::getImageId).doesNotContain(s.imageId());
        CvmClient ownerSh = server.client(s.owner(), SH);
        assertRefused("InvalidImageId.NotFound", () -> Shares.permissions(ownerSh, s.imageId()));
        assertRefused("InvalidImageId.NotFound", () -> Shares.share(ownerSh, s.imageId(), s.id(0)));
        assertThat(Images.find(s.gz(0), s.imageId())).isPresent();
    }

    @Test
    void cancellingAShareRemovesTheImageFromTheRecipientListing() throws Exception {
        Scene s = scene(2);
        Shares.share(s.ownerGz(), s.imageId(), s.ids(0, 2));
        Shares.cancel(s.ownerGz(), s.imageId(), s.id(0));
        assertThat(Shares.sharedWithMe(s.gz(0))).isEmpty();
        assertThat(Images.find(s.gz(0), s.imageId())).isEmpty();
        assertRefused("InvalidImageId.NotFound", () -> Images.rename(s.gz(0), s.imageId(), "late"));
        assertThat(Shares.sharedWithMe(s.gz(1))).extracting(Image::getImageId).containsExactly(s.imageId());
    }

    @Test
    void recipientSeesTheSameDigestAsTheOwner() throws Exception {
        Scene s = scene(1);
        Shares.share(s.ownerGz(), s.imageId(), s.id(0));
        String byId = "{\"ImageIds\":[\"" + s.imageId() + "\"]}";
        JsonNode owners = new RawClient(server, s.owner()).call("DescribeImages", GZ, byId).at("/ImageSet/0");
        JsonNode recipients = new RawClient(server, s.others().get(0)).call("DescribeImages", GZ, byId).at("/ImageSet/0");
        assertThat(recipients.path("ImageType").asText()).isEqualTo("SHARED_IMAGE");
        assertThat(recipients.path("ImagehubSha256").asText()).isEqualTo("sha256:" + Tc3Signer.sha256Hex(DISK))
                .isEqualTo(owners.path("ImagehubSha256").asText());
        assertThat(recipients.path("ImagehubSizeBytes").asLong()).isEqualTo(DISK.length)
                .isEqualTo(owners.path("ImagehubSizeBytes").asLong());
    }

    private static void decline(Scene s, int recipient, String action) throws TencentCloudSDKException {
        server.commonClient(s.others().get(recipient), GZ)
                .commonRequest(new CommonRequest("{\"ImageId\":\"" + s.imageId() + "\"}"), action);
    }

    @Test
    void aDeclinedShareLeavesOnlyThatRecipientsListingsAndLaunchesUntilAccepted() throws Exception {
        Scene s = scene(2);
        Shares.share(s.ownerGz(), s.imageId(), s.id(0), s.id(1));
        assertThat(Shares.sharedWithMe(s.gz(0))).extracting(Image::getImageId).containsExactly(s.imageId());

        decline(s, 0, "ImagehubDeclineSharedImage");
        decline(s, 0, "ImagehubDeclineSharedImage"); // again: no change, no error
        assertThat(Shares.sharedWithMe(s.gz(0))).as("the decliner's (cached) listing").isEmpty();
        assertThat(Images.find(s.gz(0), s.imageId())).as("asked for by id").isEmpty();
        assertRefused("InvalidParameterValue.InvalidImageId",
                () -> Instances.run(s.gz(0), "ap-guangzhou-3", s.imageId(), 1));
        assertThat(Shares.sharedWithMe(s.gz(1))).extracting(Image::getImageId).containsExactly(s.imageId());
        assertThat(Shares.recipients(s.ownerGz(), s.imageId())).as("the owner's share list is untouched")
                .containsExactlyInAnyOrder(s.id(0), s.id(1));

        decline(s, 0, "ImagehubAcceptSharedImage");
        assertThat(Shares.sharedWithMe(s.gz(0))).extracting(Image::getImageId).containsExactly(s.imageId());
        Instances.run(s.gz(0), "ap-guangzhou-3", s.imageId(), 1);
    }

    @Test
    void onlyARecipientCanDeclineAndAStrangerLearnsNothing() throws Exception {
        Scene s = scene(2);
        Shares.share(s.ownerGz(), s.imageId(), s.id(0));
        CommonClient owner = server.commonClient(s.owner(), GZ);
        String body = "{\"ImageId\":\"" + s.imageId() + "\"}";
        assertRefused("InvalidParameterValue.InvalidImageId",
                () -> owner.commonRequest(new CommonRequest(body), "ImagehubDeclineSharedImage"));
        assertRefused("InvalidImageId.NotFound", () -> decline(s, 1, "ImagehubDeclineSharedImage"));
        assertRefused("InvalidImageId.NotFound", () -> server.commonClient(s.others().get(0), SH)
                .commonRequest(new CommonRequest(body), "ImagehubDeclineSharedImage"));
        assertThat(Shares.sharedWithMe(s.gz(0))).extracting(Image::getImageId).containsExactly(s.imageId());
    }

    /** Account names are unique per server: every test makes its own accounts. */
    private static TestServer.Account account(String role) {
        return server.createAccount(role + "-" + NAMES.incrementAndGet());
    }

    @FunctionalInterface
    private interface ImageCall {
        void on(String imageId) throws Exception;
    }
}
