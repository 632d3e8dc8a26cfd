package io.imagehub.it;

import static io.imagehub.it.SdkAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.tencentcloudapi.common.Credential;
import com.tencentcloudapi.common.profile.ClientProfile;
import com.tencentcloudapi.common.profile.HttpProfile;
import com.tencentcloudapi.cvm.v20170312.CvmClient;
import com.tencentcloudapi.cvm.v20170312.models.DeleteImagesRequest;
import com.tencentcloudapi.cvm.v20170312.models.DescribeImagesRequest;
import com.tencentcloudapi.cvm.v20170312.models.Filter;
import com.tencentcloudapi.cvm.v20170312.models.Image;
import com.tencentcloudapi.cvm.v20170312.models.ImportImageRequest;
import com.tencentcloudapi.cvm.v20170312.models.ModifyImageAttributeRequest;
import io.imagehub.api.Tc3Signer;
import io.imagehub.api.Tc3Signer.Header;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad input gets the documented code in an HTTP 200 envelope, and changes nothing. */
class ApiErrorsTest {
    private static final String GZ = "ap-guangzhou";
    private static TestServer server;
    private static FileServer files;
    private static TestServer.Account alice;
    private static CvmClient aliceGz;
    private static RawClient raw;
    private static String ownImage;
    private static String publicImage;

    @BeforeAll
    static void start() throws Exception {
        files = new FileServer();
        server = TestServer.importingFrom(files, c -> {
            c.maxRequestBytes = 64 * 1024;
        });
        alice = server.createAccount("alice");
        aliceGz = server.client(alice, GZ);
        raw = new RawClient(server, alice);
        ownImage = Images.importReady(aliceGz, files.put("disk.raw", new byte[4096]), "base");
        publicImage = Images.firstPublic(aliceGz);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        files.close();
    }

    @Test
    void aWrongSecretKeyIsASignatureFailure() {
        assertRefused("AuthFailure.SignatureFailure",
                () -> server.client(alice.secretId(), "not-the-key", GZ).DescribeImages(new DescribeImagesRequest()));
    }

    @Test
    void anUnknownSecretIdIsRefused() {
        assertRefused("AuthFailure.SecretIdNotFound",
                () -> server.client("AKIDunknownunknownunknown", "whatever", GZ).DescribeImages(new DescribeImagesRequest()));
    }

    @Test
    void aTimestampMoreThanFiveMinutesAwayHasExpired() {
        long now = System.currentTimeMillis() / 1000;
        // the server reads its clock after ours: a future timestamp needs a margin for that delay (at now + 301 a
        // request that reaches the server in the next second is within the window)
        for (long timestamp : new long[] {now - 301, now + 310}) {
            JsonNode response = raw.call("DescribeImages", GZ, "{}", timestamp, alice.secretKey());
            assertThat(RawClient.errorCode(response)).isEqualTo("AuthFailure.SignatureExpire");
        }
        assertThat(RawClient.errorCode(raw.call("DescribeImages", GZ, "{}", now - 200, alice.secretKey()))).isNull();
    }

    @Test
    void aChangedBodyBreaksTheSignature() {
        HttpRequest signedForOtherBody = HttpRequest.newBuilder(URI.create("http://" + server.endpoint() + "/"))
                .header("Content-Type", "application/json; charset=utf-8")
                .header("Authorization", Tc3Signer.authorization(alice.secretId(), alice.secretKey(), "127",
                        System.currentTimeMillis() / 1000, "POST", "", List.of(
                                new Header("content-type", "application/json; charset=utf-8"),
                                new Header("host", server.endpoint())), "{}".getBytes()))
                .header("X-TC-Action", "DescribeImages").header("X-TC-Version", "2017-03-12")
                .header("X-TC-Region", GZ).header("X-TC-Timestamp", Long.toString(System.currentTimeMillis() / 1000))
                .POST(HttpRequest.BodyPublishers.ofString("{\"Limit\":1}")).build();
        assertThat(RawClient.errorCode(raw.send(signedForOtherBody))).isEqualTo("AuthFailure.SignatureFailure");
    }

    @Test
    void aSkippedOrForeignAuthorizationIsInvalid() {
        for (String authorization : new String[] {"SKIP", "HMAC-SHA1 whatever", "TC3-HMAC-SHA256 Credential=x"}) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + server.endpoint() + "/"))
                    .header("Content-Type", "application/json").header("Authorization", authorization)
                    .header("X-TC-Action", "DescribeImages").header("X-TC-Version", "2017-03-12")
                    .header("X-TC-Timestamp", Long.toString(System.currentTimeMillis() / 1000))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
            HttpResponse<String> response = raw.sendRaw(request);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(RawClient.errorCode(raw.send(request))).isEqualTo("AuthFailure.InvalidAuthorization");
        }
    }

    @Test
    void anUnknownRegionActionOrVersionIsRefused() {
        assertRefused("UnsupportedRegion", () -> server.client(alice, "mars-north-1").DescribeImages(new DescribeImagesRequest()));
        assertThat(RawClient.errorCode(raw.call("LaunchRockets", GZ, "{}"))).isEqualTo("InvalidAction");
        assertThat(RawClient.errorCode(raw.call("DescribeImages", null, "{}"))).isEqualTo("MissingParameter");
    }

    @Test
    void aBodyThatIsNotAJsonObjectIsAnInvalidParameterForEveryAction() {
        for (var action : server.node().actions().descriptions()) {
            for (String body : new String[] {"null", "[]", "\"x\"", "1"}) {
                assertThat(RawClient.errorCode(raw.call(action.name(), GZ, body))).as("%s %s", action.name(), body)
                        .isEqualTo("InvalidParameter");
            }
        }
        assertThat(RawClient.errorCode(raw.call("DescribeImages", GZ, "{\"ImageIds\":[null]}")))
                .isEqualTo("InvalidParameter");
    }

    @Test
    void unknownMembersWrongTypesAndBrokenJsonAreRefused() {
        assertThat(RawClient.errorCode(raw.call("DescribeImages", GZ, "{\"Limitt\":10}"))).isEqualTo("UnknownParameter");
        assertThat(RawClient.errorCode(raw.call("DescribeImages", GZ, "{\"Limit\":\"10\"}"))).isEqualTo("InvalidParameter");
        assertThat(RawClient.errorCode(raw.call("DescribeImages", GZ, "{\"ImageIds\":\"img-abcdefgh\"}"))).isEqualTo("InvalidParameter");
        assertThat(RawClient.errorCode(raw.call("DescribeImages", GZ, "{\"Limit\":"))).isEqualTo("InvalidParameter");
        assertThat(RawClient.errorCode(raw.call("DescribeImages", GZ, "[]"))).isEqualTo("InvalidParameter");
    }

    @Test
    void aBodyOverTheLimitIsRefused() {
        String big = "{\"ImageIds\":[" + "\"img-aaaaaaaa\",".repeat(6000) + "\"img-aaaaaaaa\"]}";
        assertThat(RawClient.errorCode(raw.call("DescribeImages", GZ, big))).isEqualTo("RequestSizeLimitExceeded");
    }

    @Test
    void malformedImageIdsAreRefused() {
        DescribeImagesRequest request = new DescribeImagesRequest();
        request.setImageIds(new String[] {"img-ABCDEFGH"});
        assertRefused("InvalidImageId.Malformed", () -> aliceGz.DescribeImages(request));
        ModifyImageAttributeRequest modify = new ModifyImageAttributeRequest();
        modify.setImageId("image-1");
        modify.setImageName("x");
        assertRefused("InvalidImageId.Malformed", () -> aliceGz.ModifyImageAttribute(modify));
    }

    @Test
    void limitOver100AndNegativeOffsetAreRefused() {
        DescribeImagesRequest request = new DescribeImagesRequest();
        request.setLimit(101L);
        assertRefused("InvalidParameterValue.InvalidParameterValueLimit", () -> aliceGz.DescribeImages(request));
        request.setLimit(10L);
        request.setOffset(-1L);
        assertRefused("InvalidParameterValue.InvalidParameterValueLimit", () -> aliceGz.DescribeImages(request));
    }

    @Test
    void idsAndFiltersTogetherAndUnknownFiltersAreRefused() {
        DescribeImagesRequest both = new DescribeImagesRequest();
        both.setImageIds(new String[] {ownImage});
        both.setFilters(new Filter[] {FoundationTest.filter("image-type", "PRIVATE_IMAGE")});
        assertRefused("InvalidParameter.InvalidParameterCoexistImageIdsFilters", () -> aliceGz.DescribeImages(both));
        DescribeImagesRequest unknown = new DescribeImagesRequest();
        unknown.setFilters(new Filter[] {FoundationTest.filter("colour", "blue")});
        assertRefused("InvalidFilter", () -> aliceGz.DescribeImages(unknown));
    }

    @Test
    void missingParametersAreRefused() {
        assertRefused("MissingParameter", () -> aliceGz.ModifyImageAttribute(new ModifyImageAttributeRequest()));
        assertRefused("MissingParameter", () -> aliceGz.DeleteImages(new DeleteImagesRequest()));
        ImportImageRequest noName = Images.importRequest(files.baseUrl() + "disk.raw", null);
        assertRefused("MissingParameter", () -> aliceGz.ImportImage(noName));
    }

    @Test
    void twoHundredCharacterNamesAreRefusedAndChangeNothing() throws Exception {
        long before = countOwn();
        assertRefused("InvalidParameterValue.TooLarge",
                () -> aliceGz.ImportImage(Images.importRequest(files.baseUrl() + "disk.raw", "n".repeat(200))));
        ModifyImageAttributeRequest rename = new ModifyImageAttributeRequest();
        rename.setImageId(ownImage);
        rename.setImageName("n".repeat(200));
        assertRefused("InvalidParameterValue.TooLarge", () -> aliceGz.ModifyImageAttribute(rename));
        assertThat(countOwn()).isEqualTo(before);
        assertThat(Images.find(aliceGz, ownImage).orElseThrow().getImageName()).isEqualTo("base");
    }

    @Test
    void urlsOutsideTheAllowListAreRefused() throws Exception {
        long before = countOwn();
        for (String url : new String[] {"http://169.254.169.254/latest", "file:///etc/passwd", "ftp://127.0.0.1/x",
                "http://user:pw@" + files.baseUrl().substring(7) + "disk.raw", "not a url"}) {
            assertRefused("InvalidParameter.InvalidParameterUrlError", () -> aliceGz.ImportImage(Images.importRequest(url, "x")));
        }
        assertThat(countOwn()).isEqualTo(before);
    }

    @Test
    void aDuplicateNameIsRefused() {
        assertRefused("InvalidImageName.Duplicate",
                () -> aliceGz.ImportImage(Images.importRequest(files.baseUrl() + "disk.raw", "base")));
    }

    @Test
    void unsupportedOsAndArchitectureAreRefused() {
        ImportImageRequest os = Images.importRequest(files.baseUrl() + "disk.raw", "os");
        os.setOsType("BeOS");
        assertRefused("InvalidImageOsType.Unsupported", () -> aliceGz.ImportImage(os));
        ImportImageRequest version = Images.importRequest(files.baseUrl() + "disk.raw", "version");
        version.setOsVersion("99");
        assertRefused("InvalidImageOsVersion.Unsupported", () -> aliceGz.ImportImage(version));
    }

    @Test
    void dryRunImportChecksAndCreatesNothing() throws Exception {
        long before = countOwn();
        ImportImageRequest request = Images.importRequest(files.baseUrl() + "disk.raw", "dry");
        request.setDryRun(true);
        assertThat(aliceGz.ImportImage(request).getImageId()).isNull();
        assertThat(countOwn()).isEqualTo(before);
    }

    @Test
    void publicImagesCanBeNeitherDeletedNorModified() throws Exception {
        DeleteImagesRequest delete = new DeleteImagesRequest();
        delete.setImageIds(new String[] {publicImage});
        assertRefused("InvalidParameterValue.InvalidImageId", () -> aliceGz.DeleteImages(delete));
        ModifyImageAttributeRequest rename = new ModifyImageAttributeRequest();
        rename.setImageId(publicImage);
        rename.setImageName("mine now");
        assertRefused("UnauthorizedOperation.ImageNotBelongToAccount", () -> aliceGz.ModifyImageAttribute(rename));
        assertThat(Images.find(aliceGz, publicImage)).isPresent();
    }

    @Test
    void deleteIsAllOrNothing() throws Exception {
        DeleteImagesRequest delete = new DeleteImagesRequest();
        delete.setImageIds(new String[] {ownImage, "img-00000000"});
        assertRefused("InvalidImageId.NotFound", () -> aliceGz.DeleteImages(delete));
        assertThat(Images.find(aliceGz, ownImage)).isPresent();
        DeleteImagesRequest dryRun = new DeleteImagesRequest();
        dryRun.setImageIds(new String[] {ownImage});
        dryRun.setDryRun(true);
        aliceGz.DeleteImages(dryRun);
        assertThat(Images.find(aliceGz, ownImage)).isPresent();
    }

    @Test
    void imagesOfAnotherRegionAreNotVisible() throws Exception {
        assertThat(Images.find(server.client(alice, "ap-beijing"), ownImage)).isEmpty();
        ModifyImageAttributeRequest rename = new ModifyImageAttributeRequest();
        rename.setImageId(ownImage);
        rename.setImageName("elsewhere");
        assertRefused("InvalidImageId.NotFound", () -> server.client(alice, "ap-beijing").ModifyImageAttribute(rename));
    }

    @Test
    void getRequestsAndUnsignedPayloadsWorkLikePosts() throws Exception {
        HttpProfile http = new HttpProfile();
        http.setEndpoint(server.endpoint());
        http.setProtocol(HttpProfile.REQ_HTTP);
        http.setReqMethod("GET");
        ClientProfile profile = new ClientProfile();
        profile.setHttpProfile(http);
        CvmClient get = new CvmClient(new Credential(alice.secretId(), alice.secretKey()), GZ, profile);
        DescribeImagesRequest request = new DescribeImagesRequest();
        request.setFilters(new Filter[] {FoundationTest.filter("image-type", "PRIVATE_IMAGE", "SHARED_IMAGE")});
        request.setLimit(10L);
        assertThat(Arrays.stream(get.DescribeImages(request).getImageSet()).map(Image::getImageId)).contains(ownImage);

        ClientProfile unsigned = new ClientProfile();
        HttpProfile post = new HttpProfile();
        post.setEndpoint(server.endpoint());
        post.setProtocol(HttpProfile.REQ_HTTP);
        unsigned.setHttpProfile(post);
        unsigned.setUnsignedPayload(true);
        CvmClient unsignedClient = new CvmClient(new Credential(alice.secretId(), alice.secretKey()), GZ, unsigned);
        assertThat(unsignedClient.DescribeImages(new DescribeImagesRequest()).getTotalCount()).isPositive();
    }

    @Test
    void pagingReportsTheTotalBeforePaging() throws Exception {
        DescribeImagesRequest first = new DescribeImagesRequest();
        first.setLimit(1L);
        long total = aliceGz.DescribeImages(first).getTotalCount();
        assertThat(total).isGreaterThanOrEqualTo(2); // public images and alice's own
        DescribeImagesRequest past = new DescribeImagesRequest();
        past.setOffset(total + 5);
        assertThat(aliceGz.DescribeImages(past).getImageSet()).isEmpty();
        assertThat(aliceGz.DescribeImages(past).getTotalCount()).isEqualTo(total);
    }

    private static long countOwn() throws Exception {
        DescribeImagesRequest request = new DescribeImagesRequest();
        request.setFilters(new Filter[] {FoundationTest.filter("image-type", "PRIVATE_IMAGE")});
        return aliceGz.DescribeImages(request).getTotalCount();
    }
}
