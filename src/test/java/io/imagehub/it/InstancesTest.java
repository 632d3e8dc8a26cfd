package io.imagehub.it;

import static io.imagehub.it.Instances.count;
import static io.imagehub.it.Instances.find;
import static io.imagehub.it.Instances.run;
import static io.imagehub.it.Instances.runReady;
import static io.imagehub.it.Instances.runRequest;
import static io.imagehub.it.Instances.settledIn;
import static io.imagehub.it.Instances.share;
import static io.imagehub.it.SdkAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import com.tencentcloudapi.cvm.v20170312.CvmClient;
import com.tencentcloudapi.cvm.v20170312.models.DeleteImagesRequest;
import com.tencentcloudapi.cvm.v20170312.models.DescribeImagesRequest;
import com.tencentcloudapi.cvm.v20170312.models.DescribeInstanceTypeConfigsRequest;
import com.tencentcloudapi.cvm.v20170312.models.DescribeInstancesRequest;
import com.tencentcloudapi.cvm.v20170312.models.DescribeInstancesResponse;
import com.tencentcloudapi.cvm.v20170312.models.Filter;
import com.tencentcloudapi.cvm.v20170312.models.Image;
import com.tencentcloudapi.cvm.v20170312.models.Instance;
import com.tencentcloudapi.cvm.v20170312.models.InstanceTypeConfig;
import com.tencentcloudapi.cvm.v20170312.models.LoginSettings;
import com.tencentcloudapi.cvm.v20170312.models.ResetInstanceRequest;
import com.tencentcloudapi.cvm.v20170312.models.RunInstancesRequest;
import com.tencentcloudapi.cvm.v20170312.models.RunInstancesResponse;
import com.tencentcloudapi.cvm.v20170312.models.StopInstancesRequest;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Launching instances from images through the official SDK: launch permission, reinstall, idempotency, DryRun,
 * quota, login settings, listing and the instance-type catalogue.
 */
class InstancesTest {
    private static final String GZ = "ap-guangzhou";
    private static final String SH = "ap-shanghai";
    private static final String ZONE = "ap-guangzhou-3";
    private static final String NOT_FOUND = "InvalidImageId.NotFound";
    private static final int QUOTA = 4;
    private static TestServer server;
    private static FileServer files;
    private static CvmClient aliceGz;
    /** Alice's custom image in GZ, shared by each test with the recipients it creates. */
    private static String golden;
    private static String goldenOsName;

    @BeforeAll
    static void start() throws Exception {
        files = new FileServer();
        server = TestServer.importingFrom(files, c -> {
            c.instanceTransitionMillis = 50;
            c.instanceQuota = QUOTA;
        });
        aliceGz = server.client(server.createAccount("alice"), GZ);
        golden = importReady(aliceGz, "golden");
        goldenOsName = Images.find(aliceGz, golden).orElseThrow().getOsName();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        files.close();
    }

    static String importReady(CvmClient client, String name) throws TencentCloudSDKException {
        byte[] disk = new byte[3 * 1024 * 1024 + 11];
        new Random(name.hashCode()).nextBytes(disk);
        return Images.importReady(client, files.put(name + ".raw", disk), name);
    }

    /** A new account that alice's image is shared with. */
    private static TestServer.Account recipientOf(String imageId, String name) throws TencentCloudSDKException {
        TestServer.Account account = server.createAccount(name);
        share(aliceGz, imageId, account.accountId(), "SHARE");
        return account;
    }

    private static String publicImage(CvmClient client) throws TencentCloudSDKException {
        DescribeImagesRequest request = new DescribeImagesRequest();
        Filter filter = filter("image-type", "PUBLIC_IMAGE");
        request.setFilters(new Filter[] {filter});
        return client.DescribeImages(request).getImageSet()[0].getImageId();
    }

    private static Filter filter(String name, String... values) {
        Filter filter = new Filter();
        filter.setName(name);
        filter.setValues(values);
        return filter;
    }

    private static void reset(CvmClient client, String instanceId, String imageId) throws TencentCloudSDKException {
        ResetInstanceRequest request = new ResetInstanceRequest();
        request.setInstanceId(instanceId);
        request.setImageId(imageId);
        client.ResetInstance(request);
    }

    @Test
    void ownerLaunchesFromItsOwnSharedImage() throws Exception {
        recipientOf(golden, "bob-of-owner-test");
        RunInstancesRequest request = runRequest(ZONE, golden, 1);
        request.setInstanceName("web");
        request.setInstanceType("S5.LARGE8");
        RunInstancesResponse response = aliceGz.RunInstances(request);
        assertThat(response.getInstanceIdSet()).hasSize(1).allMatch(id -> id.matches("ins-[a-z0-9]{8}"));
        String id = response.getInstanceIdSet()[0];

        Instance instance = Instances.await(aliceGz, id, settledIn("RUNNING"));
        assertThat(instance.getImageId()).isEqualTo(golden);
        assertThat(instance.getOsName()).isEqualTo(goldenOsName);
        assertThat(instance.getPlacement().getZone()).isEqualTo(ZONE);
        assertThat(instance.getInstanceName()).isEqualTo("web");
        assertThat(instance.getInstanceType()).isEqualTo("S5.LARGE8");
        assertThat(instance.getCPU()).isEqualTo(4);
        assertThat(instance.getMemory()).isEqualTo(8);
        assertThat(instance.getSystemDisk().getDiskType()).isEqualTo("CLOUD_PREMIUM");
        assertThat(instance.getSystemDisk().getDiskSize()).isEqualTo(50);
        assertThat(instance.getLatestOperation()).isEqualTo("RunInstances");
        assertThat(instance.getLatestOperationRequestId()).isEqualTo(response.getRequestId());
        assertThat(instance.getInstanceChargeType()).isEqualTo("POSTPAID_BY_HOUR");
    }

    @Test
    void recipientLaunchesInTheImageRegionAndOwnsTheInstance() throws Exception {
        CvmClient bobGz = server.client(recipientOf(golden, "bob-launches"), GZ);
        String id = runReady(bobGz, ZONE, golden);
        assertThat(find(bobGz, id).orElseThrow().getImageId()).isEqualTo(golden);
        assertThat(find(aliceGz, id)).as("the owner of the image does not see the recipient's instance").isEmpty();
    }

    @Test
    void recipientCannotLaunchTheSharedImageInAnotherRegion() throws Exception {
        TestServer.Account bob = recipientOf(golden, "bob-elsewhere");
        CvmClient bobSh = server.client(bob, SH);
        CvmClient bobGz = server.client(bob, GZ);
        assertRefused(NOT_FOUND, () -> run(bobSh, "ap-shanghai-2", golden, 1));
        assertRefused("InvalidZone.MismatchRegion", () -> run(bobGz, "ap-shanghai-2", golden, 1));
        assertThat(count(bobSh)).isZero();
        assertThat(count(bobGz)).isZero();
    }

    @Test
    void strangerLaunchIsRefusedExactlyAsAMissingImage() throws Exception {
        CvmClient carolGz = server.client(server.createAccount("carol"), GZ);
        var hidden = assertRefused(NOT_FOUND, () -> run(carolGz, ZONE, golden, 1));
        var missing = assertRefused(NOT_FOUND, () -> run(carolGz, ZONE, "img-00000000", 1));
        assertThat(hidden.getMessage().replace(golden, "ID")).isEqualTo(missing.getMessage().replace("img-00000000", "ID"));
        assertThat(count(carolGz)).isZero();
    }

    @Test
    void resetInstanceWithOwnSharedAndCancelledImages() throws Exception {
        String temporary = importReady(aliceGz, "shared-for-a-while");
        TestServer.Account bob = recipientOf(temporary, "bob-resets");
        share(aliceGz, golden, bob.accountId(), "SHARE");
        CvmClient bobGz = server.client(bob, GZ);
        String own = importReady(bobGz, "bob-own");
        String id = runReady(bobGz, ZONE, temporary);

        reset(bobGz, id, own);
        Instance afterOwn = Instances.await(bobGz, id, settledIn("RUNNING"));
        assertThat(afterOwn.getImageId()).isEqualTo(own);
        assertThat(afterOwn.getLatestOperation()).isEqualTo("ResetInstance");
        reset(bobGz, id, golden);
        assertThat(Instances.await(bobGz, id, settledIn("RUNNING")).getImageId()).isEqualTo(golden);
        reset(bobGz, id, temporary);
        Instance beforeCancel = Instances.await(bobGz, id, settledIn("RUNNING"));
        assertThat(beforeCancel.getImageId()).isEqualTo(temporary);

        share(aliceGz, temporary, bob.accountId(), "CANCEL");
        assertRefused(NOT_FOUND, () -> reset(bobGz, id, temporary));
        assertRefused(NOT_FOUND, () -> reset(bobGz, id, null)); // the default is the current image: no longer usable
        assertRefused(NOT_FOUND, () -> run(bobGz, ZONE, temporary, 1));
        Instance kept = find(bobGz, id).orElseThrow();
        assertThat(kept.getInstanceState()).isEqualTo("RUNNING");
        assertThat(kept.getImageId()).isEqualTo(temporary);
        assertThat(kept.getLatestOperationRequestId()).isEqualTo(beforeCancel.getLatestOperationRequestId());
        assertThat(count(bobGz)).isEqualTo(1);

        DeleteImagesRequest delete = new DeleteImagesRequest();
        delete.setImageIds(new String[] {temporary});
        aliceGz.DeleteImages(delete);
        StopInstancesRequest stop = new StopInstancesRequest();
        stop.setInstanceIds(new String[] {id});
        bobGz.StopInstances(stop);
        assertThat(Instances.await(bobGz, id, settledIn("STOPPED")).getImageId())
                .as("the recipient's instance outlives the deleted image and stays the recipient's").isEqualTo(temporary);
    }

    @Test
    void clientTokenMakesRunInstancesIdempotent() throws Exception {
        CvmClient daveGz = server.client(server.createAccount("dave"), GZ);
        RunInstancesRequest request = runRequest(ZONE, publicImage(daveGz), 2);
        request.setClientToken("launch-2026-11-28-a");
        String[] first = daveGz.RunInstances(request).getInstanceIdSet();
        String[] again = daveGz.RunInstances(request).getInstanceIdSet();
        assertThat(first).hasSize(2);
        assertThat(again).containsExactly(first);
        request.setInstanceCount(1L); // a different request with a used token answers the first result too
        assertThat(daveGz.RunInstances(request).getInstanceIdSet()).containsExactly(first);
        assertThat(count(daveGz)).isEqualTo(2);

        request.setClientToken("x".repeat(65));
        assertRefused("InvalidClientToken.TooLong", () -> daveGz.RunInstances(request));
        assertThat(count(daveGz)).isEqualTo(2);
    }

    @Test
    void dryRunChecksEverythingAndCreatesNothing() throws Exception {
        TestServer.Account erin = recipientOf(golden, "erin");
        CvmClient erinGz = server.client(erin, GZ);
        RunInstancesRequest request = runRequest(ZONE, golden, 1);
        request.setDryRun(true);
        assertThat(erinGz.RunInstances(request).getInstanceIdSet()).isEmpty();

        request.setInstanceCount((long) QUOTA + 1);
        assertRefused("LimitExceeded.InstanceQuota", () -> erinGz.RunInstances(request));
        CvmClient strangerGz = server.client(server.createAccount("erin-stranger"), GZ);
        RunInstancesRequest stranger = runRequest(ZONE, golden, 1);
        stranger.setDryRun(true);
        assertRefused(NOT_FOUND, () -> strangerGz.RunInstances(stranger));
        assertThat(count(erinGz)).isZero();
        assertThat(count(strangerGz)).isZero();
    }

    @Test
    void instanceQuotaCountsPerAccountAndRegion() throws Exception {
        TestServer.Account frank = server.createAccount("frank");
        CvmClient frankGz = server.client(frank, GZ);
        String image = publicImage(frankGz);
        run(frankGz, ZONE, image, QUOTA - 1);
        assertRefused("LimitExceeded.InstanceQuota", () -> run(frankGz, ZONE, image, 2));
        assertThat(count(frankGz)).isEqualTo(QUOTA - 1);
        run(frankGz, ZONE, image, 1);
        assertRefused("LimitExceeded.InstanceQuota", () -> run(frankGz, ZONE, image, 1));
        assertThat(count(frankGz)).isEqualTo(QUOTA);

        CvmClient frankSh = server.client(frank, SH);
        assertThat(run(frankSh, "ap-shanghai-2", publicImage(frankSh), 1)).hasSize(1);
    }

    @Test
    void describeInstancesFiltersAndPages() throws Exception {
        CvmClient ginaGz = server.client(server.createAccount("gina"), GZ);
        RunInstancesRequest request = runRequest(ZONE, publicImage(ginaGz), 3);
        request.setInstanceName("node-{R:7}");
        String[] ids = ginaGz.RunInstances(request).getInstanceIdSet();
        for (String id : ids) {
            Instances.await(ginaGz, id, settledIn("RUNNING"));
        }

        DescribeInstancesRequest byName = new DescribeInstancesRequest();
        byName.setFilters(new Filter[] {filter("instance-name", "node-8")});
        assertThat(ginaGz.DescribeInstances(byName).getInstanceSet()).extracting(Instance::getInstanceId)
                .containsExactly(ids[1]);
        DescribeInstancesRequest byZoneAndState = new DescribeInstancesRequest();
        byZoneAndState.setFilters(new Filter[] {filter("zone", ZONE), filter("instance-state", "RUNNING")});
        assertThat(ginaGz.DescribeInstances(byZoneAndState).getTotalCount()).isEqualTo(3);
        DescribeInstancesRequest stopped = new DescribeInstancesRequest();
        stopped.setFilters(new Filter[] {filter("instance-state", "STOPPED")});
        assertThat(ginaGz.DescribeInstances(stopped).getTotalCount()).isZero();

        DescribeInstancesRequest page = new DescribeInstancesRequest();
        page.setOffset(1L);
        page.setLimit(1L);
        DescribeInstancesResponse second = ginaGz.DescribeInstances(page);
        assertThat(second.getTotalCount()).isEqualTo(3);
        assertThat(second.getInstanceSet()).extracting(Instance::getInstanceName).containsExactly("node-8");

        page.setLimit(101L);
        assertRefused("InvalidParameterValue.LimitExceeded", () -> ginaGz.DescribeInstances(page));
        DescribeInstancesRequest bogus = new DescribeInstancesRequest();
        bogus.setFilters(new Filter[] {filter("image-id", "img-00000000")});
        assertRefused("InvalidFilter", () -> ginaGz.DescribeInstances(bogus));
        DescribeInstancesRequest malformed = new DescribeInstancesRequest();
        malformed.setInstanceIds(new String[] {"ins-BAD"});
        assertRefused("InvalidInstanceId.Malformed", () -> ginaGz.DescribeInstances(malformed));
    }

    @Test
    void describeInstanceTypeConfigsListsTheCatalogueOfEachZone() throws Exception {
        DescribeInstanceTypeConfigsRequest all = new DescribeInstanceTypeConfigsRequest();
        InstanceTypeConfig[] set = aliceGz.DescribeInstanceTypeConfigs(all).getInstanceTypeConfigSet();
        assertThat(set).hasSize(3 * 4).allMatch(t -> t.getZone().startsWith("ap-guangzhou-"));

        DescribeInstanceTypeConfigsRequest oneZone = new DescribeInstanceTypeConfigsRequest();
        oneZone.setFilters(new Filter[] {filter("zone", ZONE)});
        InstanceTypeConfig[] zoneSet = aliceGz.DescribeInstanceTypeConfigs(oneZone).getInstanceTypeConfigSet();
        assertThat(zoneSet).extracting(InstanceTypeConfig::getInstanceType)
                .containsExactlyInAnyOrder("S5.SMALL1", "S5.MEDIUM2", "S5.LARGE8", "SA5.MEDIUM2");
        InstanceTypeConfig medium = Arrays.stream(zoneSet).filter(t -> t.getInstanceType().equals("S5.MEDIUM2"))
                .findFirst().orElseThrow();
        assertThat(medium.getCPU()).isEqualTo(2);
        assertThat(medium.getMemory()).isEqualTo(2);
        assertThat(medium.getInstanceFamily()).isEqualTo("S5");

        DescribeInstanceTypeConfigsRequest twoValues = new DescribeInstanceTypeConfigsRequest();
        twoValues.setFilters(new Filter[] {filter("zone", ZONE, "ap-guangzhou-4")});
        assertRefused("InvalidFilterValue.LimitExceeded", () -> aliceGz.DescribeInstanceTypeConfigs(twoValues));
        DescribeInstanceTypeConfigsRequest otherRegion = new DescribeInstanceTypeConfigsRequest();
        otherRegion.setFilters(new Filter[] {filter("zone", "ap-shanghai-2")});
        assertRefused("InvalidZone.MismatchRegion", () -> aliceGz.DescribeInstanceTypeConfigs(otherRegion));
    }

    @Test
    void runInstancesRefusesBadParametersAndCreatesNothing() throws Exception {
        CvmClient hankGz = server.client(server.createAccount("hank"), GZ);
        RunInstancesRequest noPlacement = runRequest(ZONE, golden, 1);
        noPlacement.setPlacement(null);
        assertRefused("MissingParameter", () -> hankGz.RunInstances(noPlacement));
        RunInstancesRequest unknownType = runRequest(ZONE, golden, 1);
        unknownType.setInstanceType("S9.HUGE1");
        assertRefused("InvalidParameterValue.InstanceTypeNotFound", () -> hankGz.RunInstances(unknownType));
        RunInstancesRequest badType = runRequest(ZONE, golden, 1);
        badType.setInstanceType("tiny");
        assertRefused("InvalidInstanceType.Malformed", () -> hankGz.RunInstances(badType));
        assertRefused("InvalidParameterValue.Range", () -> run(hankGz, ZONE, golden, 0));
        assertRefused("InvalidParameterValue.Range", () -> run(hankGz, ZONE, golden, 501));
        RunInstancesRequest prepaid = runRequest(ZONE, golden, 1);
        prepaid.setInstanceChargeType("PREPAID");
        assertRefused("UnsupportedOperation.InstanceChargeType", () -> hankGz.RunInstances(prepaid));
        assertRefused("InvalidImageId.Malformed", () -> run(hankGz, ZONE, "img-1", 1));
        RunInstancesRequest longName = runRequest(ZONE, golden, 1);
        longName.setInstanceName("n".repeat(129));
        assertRefused("InvalidInstanceName.TooLong", () -> hankGz.RunInstances(longName));
        assertThat(count(hankGz)).isZero();
    }

    @Test
    void loginSettingsAreCheckedAgainstTheImage() throws Exception {
        CvmClient ivyGz = server.client(recipientOf(golden, "ivy"), GZ);
        String linuxPublic = publicImage(ivyGz);
        for (String weak : new String[] {"Sh0rt", "onlylowercase", "x".repeat(8) + "\u00e9A1"}) {
            assertRefused("InvalidParameterValue.InvalidPassword", () -> ivyGz.RunInstances(withLogin(linuxPublic, weak, null)));
        }
        assertRefused("InvalidParameterValue", () -> ivyGz.RunInstances(withLogin(linuxPublic, null, "true")));
        assertRefused("InvalidParameter.ParameterConflict",
                () -> ivyGz.RunInstances(withLogin(golden, "Passw0rd-ok", "true")));
        assertThat(count(ivyGz)).isZero();

        assertThat(ivyGz.RunInstances(withLogin(linuxPublic, "Passw0rd-ok", null)).getInstanceIdSet()).hasSize(1);
        assertThat(ivyGz.RunInstances(withLogin(golden, null, "true")).getInstanceIdSet()).hasSize(1);
        assertThat(count(ivyGz)).isEqualTo(2);
    }

    private static RunInstancesRequest withLogin(String imageId, String password, String keepImageLogin) {
        RunInstancesRequest request = runRequest(ZONE, imageId, 1);
        LoginSettings login = new LoginSettings();
        login.setPassword(password);
        login.setKeepImageLogin(keepImageLogin);
        request.setLoginSettings(login);
        return request;
    }
}
