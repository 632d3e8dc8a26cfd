package io.imagehub.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official Node.js SDK ({@code tencentcloud-sdk-nodejs-cvm}, src/test/node) drives a whole scenario against a
 * real node: src/test/node/scenario.js asserts every answer and reports each step it passed.
 */
class NodeSdkTest {
    private static final String GZ = "ap-guangzhou";
    static final List<String> SCENARIO = List.of("regions", "zones", "public-images", "import", "instance",
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
        NodeSdk.Run run = NodeSdk.node("scenario.js", scenarioEnv(server, files, server.endpoint(), "http://",
                "get,hmac-sha256,hmac-sha1-get,zh-cn"), 180);

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        assertThat(run.steps()).containsExactlyElementsOf(withDone(Stream.concat(SCENARIO.stream(),
                Stream.of("style-get", "style-hmac-sha256", "style-hmac-sha1-get", "style-zh-cn")).toList()));
    }

    /** The steps scenario.js reports when it passes them all. */
    static List<String> withDone(List<String> steps) {
        return Stream.concat(steps.stream(), Stream.of("done")).toList();
    }

    /**
     * The accounts (made on {@code node}), the image to import (served by {@code images}), the endpoint and the
     * protocol (null: the SDK's default, https) as scenario.js reads them; {@code styles} adds request styles.
     */
    static Map<String, String> scenarioEnv(TestServer node, FileServer images, String endpoint, String protocol,
                                           String styles) {
        TestServer.Account alice = node.createAccount("node-alice");
        TestServer.Account bob = node.createAccount("node-bob");
        TestServer.Account carol = node.createAccount("node-carol");
        byte[] disk = new byte[5 * 1024 * 1024 + 7];
        new Random(10).nextBytes(disk);
        Map<String, String> env = new HashMap<>(Map.of(
                "IMAGEHUB_ENDPOINT", endpoint,
                "IMAGEHUB_REGION", GZ,
                "IMAGEHUB_ZONE", "ap-guangzhou-3",
                "IMAGEHUB_STYLES", styles,
                "IMAGE_URL", images.put("node-" + alice.accountId() + ".raw", disk),
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
}
