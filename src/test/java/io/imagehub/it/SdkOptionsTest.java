package io.imagehub.it;

import static io.imagehub.it.SdkAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import com.tencentcloudapi.common.profile.ClientProfile;
import com.tencentcloudapi.common.profile.HttpProfile;
import com.tencentcloudapi.common.profile.Language;
import com.tencentcloudapi.cvm.v20170312.CvmClient;
import com.tencentcloudapi.cvm.v20170312.models.DescribeImageSharePermissionRequest;
import com.tencentcloudapi.cvm.v20170312.models.DescribeImagesRequest;
import com.tencentcloudapi.cvm.v20170312.models.DescribeRegionsRequest;
import com.tencentcloudapi.cvm.v20170312.models.Filter;
import com.tencentcloudapi.cvm.v20170312.models.Image;
import com.tencentcloudapi.cvm.v20170312.models.RegionInfo;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The official Java SDK with each of its documented options: signature v1 with HmacSHA256 and HmacSHA1, GET (with
 * TC3 and with v1), unsigned payload and zh-CN; each through a read (a nested list of objects in its filters), a
 * write and a refusal. And signature v1's replay rule, on the wire.
 */
class SdkOptionsTest {
    private static final String GZ = "ap-guangzhou";
    private static NodeWithOneImage node;
    private static TestServer server;
    private static TestServer.Account alice;
    private static String imageId;

    @BeforeAll
    static void start() throws Exception {
        node = NodeWithOneImage.start("options", 3);
        server = node.server();
        alice = node.alice();
        imageId = node.imageId();
    }

    @AfterAll
    static void stop() throws Exception {
        node.close();
    }

    static Stream<Arguments> options() {
        return Stream.of(
                Arguments.of("HmacSHA256 POST", (Consumer<ClientProfile>) p -> p.setSignMethod(ClientProfile.SIGN_SHA256)),
                Arguments.of("HmacSHA1 POST", (Consumer<ClientProfile>) p -> p.setSignMethod(ClientProfile.SIGN_SHA1)),
                Arguments.of("HmacSHA256 GET", (Consumer<ClientProfile>) p -> {
                    p.setSignMethod(ClientProfile.SIGN_SHA256);
                    p.getHttpProfile().setReqMethod(HttpProfile.REQ_GET);
                }),
                Arguments.of("HmacSHA1 GET", (Consumer<ClientProfile>) p -> {
                    p.setSignMethod(ClientProfile.SIGN_SHA1);
                    p.getHttpProfile().setReqMethod(HttpProfile.REQ_GET);
                }),
                Arguments.of("TC3 GET", (Consumer<ClientProfile>) p -> p.getHttpProfile().setReqMethod(HttpProfile.REQ_GET)),
                Arguments.of("TC3 unsigned payload", (Consumer<ClientProfile>) p -> p.setUnsignedPayload(true)),
                Arguments.of("TC3 zh-CN", (Consumer<ClientProfile>) p -> p.setLanguage(Language.ZH_CN)),
                Arguments.of("HmacSHA256 zh-CN", (Consumer<ClientProfile>) p -> {
                    p.setSignMethod(ClientProfile.SIGN_SHA256);
                    p.setLanguage(Language.ZH_CN);
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("options")
    void aReadAWriteAndARefusalWork(String name, Consumer<ClientProfile> option) throws Exception {
        CvmClient cvm = TestServer.client(server.endpoint(), HttpProfile.REQ_HTTP, alice, GZ, option);

        DescribeImagesRequest read = new DescribeImagesRequest();
        read.setFilters(new Filter[] {filter("image-type", "PRIVATE_IMAGE", "SHARED_IMAGE"), filter("image-id", imageId)});
        read.setLimit(10L);
        Image[] images = cvm.DescribeImages(read).getImageSet();
        assertThat(Arrays.stream(images).map(Image::getImageId)).containsExactly(imageId);

        Images.rename(cvm, imageId, "by " + name);
        assertThat(Images.find(server.client(alice, GZ), imageId).orElseThrow().getImageName()).isEqualTo("by " + name);

        DescribeImageSharePermissionRequest missing = new DescribeImageSharePermissionRequest();
        missing.setImageId("img-00000000");
        assertRefused("InvalidImageId.NotFound", () -> cvm.DescribeImageSharePermission(missing));
    }

    @Test
    void theLanguageOptionNamesRegionsInIt() throws Exception {
        for (Language language : Language.values()) {
            for (String signMethod : new String[] {ClientProfile.SIGN_TC3_256, ClientProfile.SIGN_SHA1}) {
                CvmClient cvm = TestServer.client(server.endpoint(), HttpProfile.REQ_HTTP, alice, GZ, p -> {
                    p.setLanguage(language);
                    p.setSignMethod(signMethod);
                });
                RegionInfo guangzhou = Arrays.stream(cvm.DescribeRegions(new DescribeRegionsRequest()).getRegionSet())
                        .filter(r -> r.getRegion().equals(GZ)).findFirst().orElseThrow();
                assertThat(guangzhou.getRegionName())
                        .isEqualTo(language == Language.ZH_CN ? "华南地区(广州)" : "South China (Guangzhou)");
            }
        }
    }

    @Test
    void aWrongKeyIsRefusedWithEverySignMethod() {
        TestServer.Account wrong = new TestServer.Account(alice.accountId(), alice.secretId(), "x" + alice.secretKey());
        for (String signMethod : new String[] {ClientProfile.SIGN_SHA1, ClientProfile.SIGN_SHA256}) {
            for (String method : new String[] {HttpProfile.REQ_GET, HttpProfile.REQ_POST}) {
                CvmClient cvm = TestServer.client(server.endpoint(), HttpProfile.REQ_HTTP, wrong, GZ, p -> {
                    p.setSignMethod(signMethod);
                    p.getHttpProfile().setReqMethod(method);
                });
                assertRefused("AuthFailure.SignatureFailure", () -> cvm.DescribeImages(new DescribeImagesRequest()));
            }
        }
    }

    @Test
    void aSignatureV1RequestIsAcceptedOnceWithinItsWindow() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        String query = signedV1Query("DescribeImages", now, "77001", "GET");
        RawClient raw = new RawClient(server, alice);
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://" + server.endpoint() + "/?" + query)).GET().build();

        HttpResponse<String> first = raw.sendRaw(get);
        assertThat(first.body()).contains("\"TotalCount\":1").doesNotContain("Error");
        HttpResponse<String> replayed = raw.sendRaw(get);
        assertThat(replayed.statusCode()).isEqualTo(200);
        assertThat(replayed.body()).contains("\"Code\":\"AuthFailure.SignatureFailure\"").contains("Nonce");

        String sameNonceAsForm = signedV1Query("DescribeImages", now, "77001", "POST");
        HttpResponse<String> form = raw.sendRaw(HttpRequest.newBuilder(URI.create("http://" + server.endpoint() + "/"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(sameNonceAsForm)).build());
        assertThat(form.body()).contains("\"Code\":\"AuthFailure.SignatureFailure\"");

        HttpResponse<String> fresh = raw.sendRaw(HttpRequest.newBuilder(URI.create("http://" + server.endpoint() + "/"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(signedV1Query("DescribeImages", now, "77002", "POST"))).build());
        assertThat(fresh.body()).contains("\"TotalCount\":1").doesNotContain("Error");
    }

    @Test
    void aSignatureV1TimestampOutsideTheWindowIsExpired() {
        long stale = System.currentTimeMillis() / 1000 - 400;
        HttpResponse<String> answer = new RawClient(server, alice).sendRaw(HttpRequest.newBuilder(URI.create(
                "http://" + server.endpoint() + "/?" + signedV1Query("DescribeImages", stale, "77003", "GET"))).GET().build());
        assertThat(answer.body()).contains("\"Code\":\"AuthFailure.SignatureExpire\"");
    }

    /** A v1 query (HmacSHA256) for alice's image, signed for {@code method} to the server's Host. */
    private static String signedV1Query(String action, long timestamp, String nonce, String method) {
        Map<String, String> params = new TreeMap<>();
        params.put("Action", action);
        params.put("Version", "2017-03-12");
        params.put("Region", GZ);
        params.put("Timestamp", Long.toString(timestamp));
        params.put("Nonce", nonce);
        params.put("SecretId", alice.secretId());
        params.put("SignatureMethod", "HmacSHA256");
        params.put("Filters.0.Name", "image-id");
        params.put("Filters.0.Values.0", imageId);
        StringBuilder src = new StringBuilder(method + server.endpoint() + "/?");
        params.forEach((k, v) -> src.append(k).append('=').append(v).append('&'));
        src.setLength(src.length() - 1);
        params.put("Signature", hmacSha256Base64(alice.secretKey(), src.toString()));
        StringBuilder query = new StringBuilder();
        params.forEach((k, v) -> query.append(query.isEmpty() ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return query.toString();
    }

    private static String hmacSha256Base64(String key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Filter filter(String name, String... values) {
        Filter filter = new Filter();
        filter.setName(name);
        filter.setValues(values);
        return filter;
    }
}
