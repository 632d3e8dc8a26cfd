package io.imagehub.it;

import static io.imagehub.it.SdkAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tencentcloudapi.cvm.v20170312.CvmClient;
import io.imagehub.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The audit trail: every import, rename, share, cancel and delete, successful or refused, is recorded with its
 * time, RequestId (the one the caller got back), acting account, image, affected accounts and outcome, and is
 * readable by operators only (GET /admin/audit, `imagehub audit`).
 */
class AuditTrailTest {
    private static final String GZ = "ap-guangzhou";
    private static TestServer server;
    private static FileServer files;
    private static String diskUrl;

    @BeforeAll
    static void start() throws Exception {
        files = new FileServer();
        diskUrl = files.put("audited.raw", FoundationTest.randomBytes(10_000));
        server = TestServer.importingFrom(files, c -> { });
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        files.close();
    }

    /** What one event must say; {@code accounts} in the order the call named them. */
    private record Expected(String requestId, String actor, String action, List<String> accounts, String outcome) {
    }

    @Test
    void everyChangeAndRefusalOfAnImageIsRecordedWithItsRequestId() throws Exception {
        TestServer.Account owner = server.createAccount("audit-owner");
        TestServer.Account recipient = server.createAccount("audit-recipient");
        CvmClient ownerGz = server.client(owner, GZ);
        CvmClient recipientGz = server.client(recipient, GZ);
        String o = owner.accountId();
        String r = recipient.accountId();
        Instant before = Instant.now().minusSeconds(1);

        List<Expected> expected = new ArrayList<>();
        String imageId = Images.importImage(ownerGz, diskUrl, "audited");
        Images.awaitSettled(ownerGz, imageId);
        expected.add(new Expected(null, o, "ImportImage", List.of(), "Success")); // RequestId: shape checked below
        expected.add(new Expected("job", o, "ImageDataReady", List.of(), "Success")); // the import job's completion
        expected.add(new Expected(Images.rename(ownerGz, imageId, "audited-v2"), o, "ModifyImageAttribute", List.of(), "Success"));
        expected.add(new Expected(Shares.share(ownerGz, imageId, r), o, "ShareImage", List.of(r), "Success"));
        expected.add(new Expected(assertRefused("InvalidAccountId.NotFound",
                () -> Shares.share(ownerGz, imageId, "999999999999")).getRequestId(),
                o, "ShareImage", List.of("999999999999"), "InvalidAccountId.NotFound"));
        expected.add(new Expected(assertRefused("UnsupportedOperation.SharedImageModifyUnsupported",
                () -> Images.rename(recipientGz, imageId, "mine")).getRequestId(),
                r, "ModifyImageAttribute", List.of(), "UnsupportedOperation.SharedImageModifyUnsupported"));
        expected.add(new Expected(assertRefused("InvalidParameterValue.InvalidImageIdIsShared",
                () -> Shares.delete(recipientGz, imageId)).getRequestId(),
                r, "DeleteImages", List.of(), "InvalidParameterValue.InvalidImageIdIsShared"));
        expected.add(new Expected(assertRefused("InvalidImageId.InShared",
                () -> Shares.delete(ownerGz, imageId)).getRequestId(), o, "DeleteImages", List.of(), "InvalidImageId.InShared"));
        expected.add(new Expected(Shares.cancel(ownerGz, imageId, r), o, "CancelImageShare", List.of(r), "Success"));
        expected.add(new Expected(Shares.delete(ownerGz, imageId), o, "DeleteImages", List.of(), "Success"));

        List<JsonNode> events = AdminAudit.ofImage(server.endpoint(), server.adminToken(), imageId);
        assertThat(events).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            JsonNode event = events.get(i);
            Expected want = expected.get(i);
            assertThat(event.path("ImageId").asText()).isEqualTo(imageId);
            assertThat(event.path("Actor").asText()).as("actor of %s", event).isEqualTo(want.actor());
            assertThat(event.path("Action").asText()).as("event %d", i).isEqualTo(want.action());
            assertThat(event.path("Outcome").asText()).as("outcome of %s", event).isEqualTo(want.outcome());
            assertThat(event.path("Accounts")).extracting(JsonNode::asText).containsExactlyElementsOf(want.accounts());
            assertThat(Instant.parse(event.path("Time").asText())).isBetween(before, Instant.now());
            if (want.requestId() == null) {
                assertThat(event.path("RequestId").asText()).matches("[0-9a-f]{8}-[0-9a-f-]{27}");
            } else {
                assertThat(event.path("RequestId").asText()).as("RequestId of %s", event).isEqualTo(want.requestId());
            }
        }
    }

    @Test
    void aDeleteOfSeveralImagesIsRecordedForEachImage() throws Exception {
        TestServer.Account owner = server.createAccount("batch-owner");
        CvmClient ownerGz = server.client(owner, GZ);
        String first = Images.importReady(ownerGz, diskUrl, "batch-1");
        String second = Images.importReady(ownerGz, diskUrl, "batch-2");
        String requestId = Shares.delete(ownerGz, first, second);
        for (String image : List.of(first, second)) {
            assertThat(AdminAudit.ofImage(server.endpoint(), server.adminToken(), image)).last().satisfies(e -> {
                assertThat(e.path("Action").asText()).isEqualTo("DeleteImages");
                assertThat(e.path("Outcome").asText()).isEqualTo("Success");
                assertThat(e.path("RequestId").asText()).isEqualTo(requestId);
            });
        }
    }

    @Test
    void aQueryByAccountMatchesWholeAccountIdsOnly() throws Exception {
        TestServer.Account owner = server.createAccount("prefix-owner");
        TestServer.Account recipient = server.createAccount("prefix-recipient");
        CvmClient ownerGz = server.client(owner, GZ);
        String imageId = Images.importReady(ownerGz, diskUrl, "prefix");
        Shares.share(ownerGz, imageId, recipient.accountId());

        String r = recipient.accountId();
        assertThat(AdminAudit.get(server.endpoint(), server.adminToken(), "account=" + r))
                .singleElement().satisfies(e -> assertThat(e.path("Action").asText()).isEqualTo("ShareImage"));
        assertThat(AdminAudit.get(server.endpoint(), server.adminToken(), "account=" + r.substring(0, r.length() - 1)))
                .isEmpty();
    }

    @Test
    void auditCommandPrintsTheTrailOfAnImage() throws Exception {
        TestServer.Account owner = server.createAccount("cli-owner");
        CvmClient ownerGz = server.client(owner, GZ);
        String imageId = Images.importReady(ownerGz, diskUrl, "cli");
        String renamed = Images.rename(ownerGz, imageId, "cli-v2");

        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        int exit;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            exit = new CommandLine(new Main()).execute("audit", "--endpoint", "http://" + server.endpoint(),
                    "--admin-token", server.adminToken(), "--image", imageId);
        } finally {
            System.setOut(stdout);
        }
        assertThat(exit).isZero();
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> printed = new ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            printed.add(json.readTree(line));
        }
        assertThat(printed).extracting(e -> e.path("Action").asText()).containsExactly("ModifyImageAttribute", "ImageDataReady", "ImportImage");
        assertThat(printed.get(0).path("RequestId").asText()).isEqualTo(renamed);
        assertThat(printed.get(0).path("Actor").asText()).isEqualTo(owner.accountId());
    }

    @Test
    void theAuditTrailIsForOperatorsOnly() throws Exception {
        TestServer.Account owner = server.createAccount("nosy-owner");
        HttpClient http = HttpClient.newHttpClient();
        for (String authorization : List.of("", "Bearer " + owner.secretKey(), "Bearer " + server.adminToken() + "x")) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + server.endpoint() + "/admin/audit"));
            if (!authorization.isEmpty()) {
                request.header("Authorization", authorization);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.body()).doesNotContain("Action");
        }
        // and the Tencent API has no action that reads it
        assertThat(RawClient.errorCode(new RawClient(server, owner).call("DescribeAuditEvents", GZ, "{}")))
                .isEqualTo("InvalidAction");
    }
}
