package io.imagehub.it;

import static io.imagehub.it.SdkAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tencentcloudapi.common.CommonClient;
import com.tencentcloudapi.common.CommonRequest;
import com.tencentcloudapi.cvm.v20170312.CvmClient;
import com.tencentcloudapi.cvm.v20170312.models.ModifyImageSharePermissionRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Webhooks end to end: registered with the official SDK's generic client, delivered by the node's durable jobs to a
 * real HTTP receiver on loopback (allowed by naming its address in --webhook-allow), signed with HMAC-SHA256.
 */
class WebhookTest {
    private static final String GZ = "ap-guangzhou";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger NAMES = new AtomicInteger();

    private static FileServer files;
    private static WebhookReceiver ownerEndpoint;
    private static WebhookReceiver recipientEndpoint;
    private static WebhookReceiver notAllowed;
    private static TestServer server;
    private static String diskUrl;

    @BeforeAll
    static void start() throws Exception {
        files = new FileServer();
        diskUrl = files.put("hooked.raw", FoundationTest.randomBytes(4096));
        ownerEndpoint = new WebhookReceiver();
        recipientEndpoint = new WebhookReceiver();
        notAllowed = new WebhookReceiver();
        server = TestServer.importingFrom(files, c -> {
            c.webhookAllow.add(ownerEndpoint.baseUrl());
            c.webhookAllow.add(recipientEndpoint.baseUrl());
            c.webhookRetryBaseMillis = 100;
            c.webhookRetryWindowSeconds = 30;
            c.shareLimit = 1;
        });
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        ownerEndpoint.close();
        recipientEndpoint.close();
        notAllowed.close();
        files.close();
    }

    private static JsonNode call(TestServer.Account account, String action, Object request)
            throws Exception {
        CommonClient client = server.commonClient(account, GZ);
        return JSON.readTree(client.commonRequest(new CommonRequest(JSON.writeValueAsString(request)), action))
                .path("Response");
    }

    private static String register(TestServer.Account account, String url, String secret, String... types)
            throws Exception {
        return call(account, "ImagehubCreateWebhook", Map.of("Url", url, "EventTypes", List.of(types),
                "Secret", secret)).path("WebhookId").asText();
    }

    private static boolean signatureValid(WebhookReceiver.Request request, String secret) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] expected = ("sha256=" + HexFormat.of().formatHex(mac.doFinal(request.body())))
                .getBytes(StandardCharsets.UTF_8);
        String header = request.header("X-Imagehub-Signature-256");
        return header != null && MessageDigest.isEqual(expected, header.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode body(WebhookReceiver.Request request) {
        try {
            return JSON.readTree(request.body());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> types(List<WebhookReceiver.Request> requests) {
        return requests.stream().map(r -> body(r).path("Type").asText()).toList();
    }

    @Test
    void ownerAndRecipientEachGetTheirEventsOnceSignedWithTheirSecret() throws Exception {
        TestServer.Account owner = server.createAccount("owner-" + NAMES.incrementAndGet());
        TestServer.Account recipient = server.createAccount("recipient-" + NAMES.incrementAndGet());
        String ownerSecret = "owner-secret-0123456789";
        String recipientSecret = "recipient-secret-0123456789";
        String ownerHook = register(owner, ownerEndpoint.baseUrl() + "owner", ownerSecret, "image.import.finished",
                "share.added", "share.cancelled", "share.limit_reached", "share.recipient_refused");
        register(recipient, recipientEndpoint.baseUrl() + "recipient", recipientSecret, "shared_image.added",
                "shared_image.cancelled");

        CvmClient ownerGz = server.client(owner, GZ);
        String imageId = Images.importReady(ownerGz, diskUrl, "hooked");
        Shares.share(ownerGz, imageId, recipient.accountId());
        assertRefused("UnsupportedOperation.SharedImageModifyUnsupported",
                () -> Images.rename(server.client(recipient, GZ), imageId, "mine"));
        Shares.cancel(ownerGz, imageId, recipient.accountId());

        List<String> ownerEvents = List.of("image.import.finished", "share.added", "share.limit_reached",
                "share.recipient_refused", "share.cancelled");
        List<WebhookReceiver.Request> toOwner = ownerEndpoint.await("/owner", r -> types(r).containsAll(ownerEvents));
        List<WebhookReceiver.Request> toRecipient = recipientEndpoint.await("/recipient", r -> r.size() >= 2);
        Thread.sleep(500); // long enough for a second copy of any of them to arrive, were one sent

        assertThat(types(ownerEndpoint.received("/owner"))).containsExactlyInAnyOrderElementsOf(ownerEvents);
        assertThat(types(recipientEndpoint.received("/recipient")))
                .containsExactlyInAnyOrder("shared_image.added", "shared_image.cancelled");
        for (WebhookReceiver.Request request : toOwner) {
            assertThat(signatureValid(request, ownerSecret)).as("owner signature").isTrue();
            assertThat(signatureValid(request, recipientSecret)).isFalse();
            JsonNode event = body(request);
            assertThat(request.header("X-Imagehub-Event-Id")).isEqualTo(event.path("EventId").asText());
            assertThat(event.path("AccountId").asText()).isEqualTo(owner.accountId());
            assertThat(event.path("ImageId").asText()).isEqualTo(imageId);
        }
        assertThat(toOwner.stream().map(r -> body(r).path("EventId").asText()).distinct()).hasSize(ownerEvents.size());
        assertThat(toOwner).filteredOn(r -> body(r).path("Type").asText().equals("share.recipient_refused"))
                .singleElement().satisfies(r -> assertThat(body(r).path("Accounts").get(0).asText())
                        .isEqualTo(recipient.accountId()));
        for (WebhookReceiver.Request request : toRecipient) {
            assertThat(signatureValid(request, recipientSecret)).as("recipient signature").isTrue();
            assertThat(body(request).path("Accounts")).extracting(JsonNode::asText)
                    .containsExactly(recipient.accountId());
        }

        JsonNode log = call(owner, "ImagehubDescribeWebhookDeliveries", Map.of("WebhookId", ownerHook))
                .path("DeliverySet");
        assertThat(log).hasSize(ownerEvents.size()).allSatisfy(d -> {
            assertThat(d.path("State").asText()).isEqualTo("DELIVERED");
            assertThat(d.path("Attempts").asInt()).isEqualTo(1);
            assertThat(d.path("LastStatusCode").asInt()).isEqualTo(200);
        });
        assertRefused("ResourceNotFound.Webhook",
                () -> call(recipient, "ImagehubDescribeWebhookDeliveries", Map.of("WebhookId", ownerHook)));
    }

    @Test
    void anUploadThatCompletesTellsItsOwnerLikeAnImport() throws Exception {
        TestServer.Account owner = server.createAccount("uploader-" + NAMES.incrementAndGet());
        String secret = "upload-secret-0123456789";
        register(owner, ownerEndpoint.baseUrl() + "uploaded", secret, "image.import.finished");
        byte[] disk = FoundationTest.randomBytes(8192);
        JsonNode opened = UploadsTest.openUpload(new RawClient(server, owner), "uploaded", disk.length);

        UploadsTest.put(server, opened.path("ImagehubUploadUrl").asText(), disk);

        WebhookReceiver.Request notice = ownerEndpoint.await("/uploaded", r -> !r.isEmpty()).get(0);
        assertThat(signatureValid(notice, secret)).isTrue();
        assertThat(body(notice).path("Type").asText()).isEqualTo("image.import.finished");
        assertThat(body(notice).path("ImageId").asText()).isEqualTo(opened.path("ImageId").asText());
    }

    @Test
    void aDeliveryAnswered500IsRetriedWithTheSameEventIdUntilItIsTaken() throws Exception {
        TestServer.Account owner = server.createAccount("retried-" + NAMES.incrementAndGet());
        String secret = "retry-secret-0123456789";
        String hook = register(owner, ownerEndpoint.baseUrl() + "retried", secret, "image.import.finished");
        ownerEndpoint.answer(500, 500);
        Images.importReady(server.client(owner, GZ), diskUrl, "retried");

        List<WebhookReceiver.Request> attempts = ownerEndpoint.await("/retried", r -> r.size() >= 3);
        assertThat(attempts).hasSize(3);
        assertThat(attempts).extracting(r -> body(r).path("EventId").asText()).containsOnly(
                body(attempts.get(0)).path("EventId").asText());
        for (WebhookReceiver.Request attempt : attempts) {
            assertThat(signatureValid(attempt, secret)).isTrue();
        }
        JsonNode delivery = awaitDelivered(owner, hook);
        assertThat(delivery.path("Attempts").asInt()).isEqualTo(3);
        assertThat(delivery.path("LastStatusCode").asInt()).isEqualTo(200);
    }

    private static JsonNode awaitDelivered(TestServer.Account owner, String hook) throws Exception {
        for (int i = 0; i < 100; i++) {
            JsonNode delivery = call(owner, "ImagehubDescribeWebhookDeliveries", Map.of("WebhookId", hook))
                    .path("DeliverySet").path(0);
            if ("DELIVERED".equals(delivery.path("State").asText())) {
                return delivery;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the delivery was not recorded as delivered");
    }

    @Test
    void anExpiringShareNoticesItsRecipientFirstAndBothSidesWhenItEnds() throws Exception {
        TestServer.Account owner = server.createAccount("expiring-" + NAMES.incrementAndGet());
        TestServer.Account recipient = server.createAccount("expiring-recipient-" + NAMES.incrementAndGet());
        register(owner, ownerEndpoint.baseUrl() + "owner-expired", "expiry-secret-0123456789", "share.expired");
        register(recipient, recipientEndpoint.baseUrl() + "expiring", "expiry-secret-0123456789",
                "shared_image.expiring", "shared_image.expired");
        CvmClient ownerGz = server.client(owner, GZ);
        String imageId = Images.importReady(ownerGz, diskUrl, "expiring");
        ModifyImageSharePermissionRequest share = new ModifyImageSharePermissionRequest();
        share.setImageId(imageId);
        share.setAccountIds(new String[] {recipient.accountId()});
        share.setPermission("SHARE");
        share.set("ImagehubExpireTime", Instant.now().plusSeconds(2).toString()); // within the default notice period
        ownerGz.ModifyImageSharePermission(share);

        assertThat(types(recipientEndpoint.await("/expiring", r -> r.size() >= 2)))
                .containsExactly("shared_image.expiring", "shared_image.expired");
        assertThat(types(ownerEndpoint.await("/owner-expired", r -> !r.isEmpty()))).containsExactly("share.expired");
    }

    @Test
    void aDestinationTheOperatorDidNotAllowIsRefusedAtRegistration() throws Exception {
        TestServer.Account owner = server.createAccount("refused-" + NAMES.incrementAndGet());
        for (String url : List.of(notAllowed.baseUrl(), "http://169.254.169.254/latest/meta-data/",
                "http://localhost:" + notAllowed.baseUrl().split(":")[2], "file:///etc/passwd")) {
            assertRefused("InvalidParameter.InvalidParameterUrlError",
                    () -> register(owner, url, "refused-secret-0123456789", "share.added"));
        }
        assertRefused("InvalidParameterValue",
                () -> register(owner, ownerEndpoint.baseUrl(), "refused-secret-0123456789", "no.such.event"));
        assertThat(call(owner, "ImagehubDescribeWebhooks", Map.of()).path("WebhookSet")).isEmpty();
        assertThat(notAllowed.received("/")).isEmpty();
    }
}
