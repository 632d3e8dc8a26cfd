package io.imagehub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import com.tencentcloudapi.cvm.v20170312.CvmClient;
import com.tencentcloudapi.cvm.v20170312.models.DescribeImagesRequest;
import com.tencentcloudapi.cvm.v20170312.models.DescribeRegionsRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Request limits per account and action on a real node (docs/adr/0015-request-limits.md): a call over the limit is
 * answered RequestLimitExceeded in the standard envelope and changes nothing; other accounts and other actions keep
 * their own budgets; a call that fails authentication spends no account's budget; SecretIds the node has not seen
 * are looked up at a bounded rate. The limited actions allow one call per 100 s, so no test depends on timing.
 */
class RequestLimitsTest {
    private static final String GZ = "ap-guangzhou";
    private static final double ONCE = 0.01;
    private static FileServer files;
    private static TestServer server;
    private static TestServer.Account alice;
    private static TestServer.Account bob;

    @BeforeAll
    static void start() throws Exception {
        files = new FileServer();
        server = TestServer.importingFrom(files, c -> {
            c.actionRequestsPerSecond.put("DescribeImages", ONCE);
            c.actionRequestsPerSecond.put("ImportImage", ONCE);
            c.actionRequestsPerSecond.put("ModifyImageAttribute", ONCE);
        });
        alice = server.createAccount("alice");
        bob = server.createAccount("bob");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        files.close();
    }

    @Test
    void aCallOverTheLimitIsRequestLimitExceededInTheEnvelopeAndOthersKeepTheirBudgets() throws Exception {
        CvmClient aliceClient = server.client(alice, GZ);
        aliceClient.DescribeImages(new DescribeImagesRequest());

        JsonNode refused = new RawClient(server, alice).call("DescribeImages", GZ, "{}"); // HTTP 200, or it throws
        assertThat(RawClient.errorCode(refused)).isEqualTo("RequestLimitExceeded");
        assertThat(refused.path("Error").path("Message").asText())
                .startsWith("Your account may call DescribeImages at most 0.01 times per second; retry in ");
        assertThat(refused.path("RequestId").asText()).isNotEmpty();

        TencentCloudSDKException sdk = catchThrowableOfType(TencentCloudSDKException.class,
                () -> aliceClient.DescribeImages(new DescribeImagesRequest()));
        assertThat(sdk.getErrorCode()).isEqualTo("RequestLimitExceeded");
        assertThat(sdk.getRequestId()).isNotEmpty();

        assertThat(aliceClient.DescribeRegions(new DescribeRegionsRequest()).getRegionSet()).isNotEmpty();
        assertThat(server.client(bob, GZ).DescribeImages(new DescribeImagesRequest()).getTotalCount()).isPositive();
    }

    @Test
    void aRefusedCallChangesNothing() {
        RawClient raw = new RawClient(server, alice);
        String importImage = "{\"ImageUrl\":\"" + files.put("limited.raw", new byte[4096])
                + "\",\"ImageName\":\"limited\",\"Architecture\":\"x86_64\",\"OsType\":\"CentOS\",\"OsVersion\":\"7\"";
        assertThat(RawClient.errorCode(raw.call("ImportImage", GZ, importImage + ",\"DryRun\":true}"))).isNull();
        StateFingerprint before = StateFingerprint.of(server.node());

        JsonNode refused = raw.call("ImportImage", GZ, importImage + "}");

        assertThat(RawClient.errorCode(refused)).isEqualTo("RequestLimitExceeded");
        assertThat(StateFingerprint.of(server.node())).isEqualTo(before);
    }

    @Test
    void callsThatFailAuthenticationSpendNoAccountsBudget() {
        String modify = "{\"ImageId\":\"img-00000000\",\"ImageName\":\"n\"}";
        RawClient forger = new RawClient(server.endpoint(), bob.secretId(), "not-bobs-secret-key-000000000000");
        for (int i = 0; i < 5; i++) {
            assertThat(RawClient.errorCode(forger.call("ModifyImageAttribute", GZ, modify)))
                    .isEqualTo("AuthFailure.SignatureFailure");
        }
        RawClient owner = new RawClient(server, bob);

        assertThat(RawClient.errorCode(owner.call("ModifyImageAttribute", GZ, modify)))
                .isEqualTo("InvalidImageId.NotFound");
        assertThat(RawClient.errorCode(owner.call("ModifyImageAttribute", GZ, modify)))
                .as("the budget is there, and was spent by bob's own first call")
                .isEqualTo("RequestLimitExceeded");
    }

    @Test
    void unknownSecretIdsAreLookedUpAtABoundedRateWhileKnownKeysPass() throws Exception {
        try (TestServer bounded = new TestServer(c -> c.keyLookupsPerSecond = ONCE)) {
            TestServer.Account carol = bounded.createAccount("carol");
            RawClient known = new RawClient(bounded, carol);
            assertThat(RawClient.errorCode(known.call("DescribeRegions", GZ, "{}"))).isNull(); // the one look-up

            RawClient stranger = new RawClient(bounded.endpoint(), "AKIDunknownunknown000000", "x".repeat(32));
            assertThat(RawClient.errorCode(stranger.call("DescribeRegions", GZ, "{}")))
                    .isEqualTo("RequestLimitExceeded");
            assertThat(RawClient.errorCode(known.call("DescribeRegions", GZ, "{}"))).isNull();
        }
    }
}
