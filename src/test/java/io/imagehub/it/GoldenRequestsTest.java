package io.imagehub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Golden requests: the exact bytes each official SDK that cannot be installed here would send (SdkWire, from the
 * SDKs' source), for a read, a write and a refusal, POST and GET, en-US and zh-CN. Each is accepted, answered with
 * HTTP 200 and {@code Content-Type: application/json} exactly (the Python SDK reads errors only then), and refused
 * with {@code AuthFailure.SignatureFailure} when one byte of what it signed changes.
 */
class GoldenRequestsTest {
    private static final String GZ = "ap-guangzhou";
    private static NodeWithOneImage node;
    private static TestServer server;
    private static TestServer.Account alice;
    private static String imageId;

    @BeforeAll
    static void start() throws Exception {
        node = NodeWithOneImage.start("golden", 7);
        server = node.server();
        alice = node.alice();
        imageId = node.imageId();
    }

    @AfterAll
    static void stop() throws Exception {
        node.close();
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    private static WireClient.Answer post(SdkWire sdk, String endpoint, String action, String language, String json)
            throws Exception {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return new WireClient(server.port()).send(sdk.head(endpoint, alice, alice.secretKey(), action, GZ, language,
                now(), null, body), body);
    }

    private static Map<String, Object> describeImages() {
        Map<String, Object> filter = new LinkedHashMap<>();
        filter.put("Name", "image-id");
        filter.put("Values", List.of(imageId));
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("Filters", List.of(filter));
        members.put("Limit", 10);
        return members;
    }

    private static void assertAnswered(WireClient.Answer answer) {
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.headers().get("content-type")).isEqualTo("application/json");
        assertThat(answer.response().path("RequestId").asText()).isNotBlank();
    }

    private static void assertSuccess(WireClient.Answer answer) {
        assertAnswered(answer);
        assertThat(answer.errorCode()).as(answer.response().toString()).isNull();
    }

    private static void assertRefused(String code, WireClient.Answer answer) {
        assertAnswered(answer);
        assertThat(answer.errorCode()).as(answer.response().toString()).isEqualTo(code);
    }

    @ParameterizedTest
    @EnumSource(SdkWire.class)
    void aReadAWriteAndARefusalAreAnsweredInTheEnvelope(SdkWire sdk) throws Exception {
        WireClient.Answer read = post(sdk, server.endpoint(), "DescribeImages", null, sdk.json(describeImages()));
        assertSuccess(read);
        assertThat(read.response().path("ImageSet").get(0).path("ImageId").asText()).isEqualTo(imageId);

        String name = "renamed-by-" + sdk.name().toLowerCase();
        Map<String, Object> rename = new LinkedHashMap<>();
        rename.put("ImageId", imageId);
        rename.put("ImageName", name);
        rename.put("ImageDescription", "from " + sdk + " via a/b"); // PHP writes the slash as \/
        assertSuccess(post(sdk, server.endpoint(), "ModifyImageAttribute", "zh-CN", sdk.json(rename)));
        JsonNode renamed = post(sdk, server.endpoint(), "DescribeImages", null, sdk.json(describeImages())).response();
        assertThat(renamed.path("ImageSet").get(0).path("ImageName").asText()).isEqualTo(name);
        assertThat(renamed.path("ImageSet").get(0).path("ImageDescription").asText()).isEqualTo("from " + sdk + " via a/b");

        assertRefused("InvalidImageId.NotFound", post(sdk, server.endpoint(), "DescribeImageSharePermission", "en-US",
                sdk.json(Map.of("ImageId", "img-00000000"))));
    }

    @ParameterizedTest
    @EnumSource(SdkWire.class)
    void oneChangedByteOfWhatWasSignedIsRefused(SdkWire sdk) throws Exception {
        String json = sdk.json(describeImages());
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String head = sdk.head(server.endpoint(), alice, alice.secretKey(), "DescribeImages", GZ, null, now(), null, body);
        WireClient wire = new WireClient(server.port());
        assertSuccess(wire.send(head, body));

        byte[] changed = body.clone();
        changed[changed.length - 2]++; // Limit 10 -> 11
        assertRefused("AuthFailure.SignatureFailure", wire.send(head, changed));
        String otherType = head.replace("Content-Type: application/json", "Content-Type: application/json; charset=utf-8");
        assertRefused("AuthFailure.SignatureFailure", wire.send(otherType, body));
        String otherHost = head.replace("Host: " + server.endpoint(), "Host: 127.0.0.2:" + server.port());
        assertRefused("AuthFailure.SignatureFailure", wire.send(otherHost, body));
        String wrongKey = sdk.head(server.endpoint(), alice, "x" + alice.secretKey().substring(1), "DescribeImages", GZ,
                null, now(), null, body);
        assertRefused("AuthFailure.SignatureFailure", wire.send(wrongKey, body));
    }

    @ParameterizedTest
    @EnumSource(value = SdkWire.class, names = {"PYTHON", "GO", "PHP", "DOTNET", "NODE"})
    void getQueriesAreSignedAsSent(SdkWire sdk) throws Exception {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("Limit", "10");
        params.put("Filters.0.Name", "image-id");
        params.put("Filters.0.Values.0", imageId);
        String query = sdk.query(params);
        String head = sdk.head(server.endpoint(), alice, alice.secretKey(), "DescribeImages", GZ, null, now(), query,
                new byte[0]);
        WireClient wire = new WireClient(server.port());
        WireClient.Answer answer = wire.send(head, new byte[0]);
        assertSuccess(answer);
        assertThat(answer.response().path("ImageSet").get(0).path("ImageId").asText()).isEqualTo(imageId);

        assertRefused("AuthFailure.SignatureFailure", wire.send(head.replace("Limit=10", "Limit=11"), new byte[0]));
    }

    /** tccli --endpoint http://127.0.0.1:PORT: the Python SDK sends and signs that literal as the Host. */
    @org.junit.jupiter.api.Test
    void pythonWithASchemeInItsEndpointIsAcceptedOverPlainHttp() throws Exception {
        String literal = "http://" + server.endpoint();
        WireClient.Answer read = post(SdkWire.PYTHON, literal, "DescribeImages", null,
                SdkWire.PYTHON.json(describeImages()));
        assertSuccess(read);
        assertThat(read.response().path("TotalCount").asLong()).isEqualTo(1);
        assertRefused("InvalidImageId.NotFound", post(SdkWire.PYTHON, literal, "DescribeImageSharePermission", null,
                SdkWire.PYTHON.json(Map.of("ImageId", "img-00000000"))));
    }

    /** libcurl asks before sending a body over 1 MiB; the envelope must come after the server's 100 Continue. */
    @org.junit.jupiter.api.Test
    void cppLargeBodyWithExpectContinueIsRead() throws Exception {
        Map<String, Object> rename = new LinkedHashMap<>();
        rename.put("ImageId", imageId);
        rename.put("ImageName", "large");
        String json = SdkWire.CPP.json(rename);
        String padded = json.substring(0, json.length() - 1) + " ".repeat(1024 * 1024 + 10) + "}";
        assertSuccess(post(SdkWire.CPP, server.endpoint(), "ModifyImageAttribute", null, padded));
        assertThat(Images.find(server.client(alice, GZ), imageId).orElseThrow().getImageName()).isEqualTo("large");
    }
}
