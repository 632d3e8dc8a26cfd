package io.imagehub.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official Node.js SDK ({@code tencentcloud-sdk-nodejs-cvm}, src/test/node) drives a whole scenario against a
 * real node: src/test/node/scenario.js asserts every answer and reports each step it passed.
 */
class NodeSdkTest {
    private static final String GZ = "ap-guangzhou";
    private static final List<String> SCENARIO = List.of("regions", "zones", "public-images", "import", "instance",
            "create-image", "share", "recipient-view", "stranger-view", "delete-refused-while-shared", "cancel",
            "delete", "wrong-key");
    private static FileServer files;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        files = new FileServer();
        server = TestServer.importingFrom(files, c -> c.instanceTransitionMillis = 50);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        files.close();
    }

    @Test
    void theWholeScenarioWorksWithEveryRequestStyle() throws Exception {
        NodeSdk.Run run = NodeSdk.node("scenario.js", scenarioEnv(server.endpoint(), "http://",
                "get,hmac-sha256,hmac-sha1-get,zh-cn"), 180);

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        assertThat(run.steps()).containsExactlyElementsOf(concat(SCENARIO,
                List.of("style-get", "style-hmac-sha256", "style-hmac-sha1-get",
                "style-zh-cn", "done")));
    }

    /** The accounts, the image to import and the endpoint, as scenario.js reads them. */
    static Map<String, String> scenarioEnv(String endpoint, String protocol, String styles) {
        TestServer.Account alice = server.createAccount("alice");
        TestServer.Account bob = server.createAccount("bob");
        TestServer.Account carol = server.createAccount("carol");
        byte[] disk = new byte[5 * 1024 * 1024 + 7];
        new Random(10).nextBytes(disk);
        Map<String, String> env = new HashMap<>(Map.of(
                "IMAGEHUB_ENDPOINT", endpoint,
                "IMAGEHUB_REGION", GZ,
                "IMAGEHUB_ZONE", "ap-guangzhou-3",
                "IMAGEHUB_STYLES", styles,
                "IMAGE_URL", files.put("node-" + alice.accountId() + ".raw", disk),
                "BOB_ACCOUNT_ID", bob.accountId()));
        if (protocol != null) {
            env.put("IMAGEHUB_PROTOCOL", protocol);
        }
        for (var entry : Map.of("ALICE", alice, "BOB", bob, "CAROL", carol).entrySet()) {
            env.put(entry.getKey() + "_SECRET_ID", entry.getValue().secretId());
            env.put(entry.getKey() + "_SECRET_KEY", entry.getValue().secretKey());
        }
        return env;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
