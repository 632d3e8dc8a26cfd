package io.imagehub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.tencentcloudapi.cvm.v20170312.CvmClient;
import io.imagehub.api.ActionDescription;
import io.imagehub.config.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who may do what, for every registered action: one row per action, one expected outcome per perspective, checked
 * against a real node through signed calls. A registered action without a row fails the test, so a new action
 * cannot ship without deciding who may call it. Outcomes are the error code, {@code Success}, or, for listings,
 * {@code NotListed} (a success that does not show the target).
 *
 * <p>Perspectives: the owner on its own image (and instance); the recipient of a share on the shared image (and on
 * its own instance launched from it); a stranger on the owner's image and instance; the owner on a public image
 * (and on an instance launched from it); the owner on its own image and instance, asking from another region.
 */
class AuthorizationMatrixTest {
    private static final String GZ = "ap-guangzhou";
    private static final String SH = "ap-shanghai";
    private static final String OK = "Success";
    private static final String NOT_LISTED = "NotListed";
    private static final String IMAGE_NOT_FOUND = "InvalidImageId.NotFound";
    private static final String INSTANCE_NOT_FOUND = "InvalidInstanceId.NotFound";
    private static final String NOT_OWNER = "UnauthorizedOperation.ImageNotBelongToAccount";

    enum Perspective { OWNER, RECIPIENT, STRANGER, PUBLIC, OTHER_REGION }

    /** An action's call (with $IMAGE, $INSTANCE, $ZONE, $ACCOUNT filled per perspective) and what each sees. */
    record Row(String body, boolean instanceChanging, boolean listing, String owner, String recipient,
               String stranger, String publicImage, String otherRegion) {
        String expected(Perspective p) {
            return switch (p) {
                case OWNER -> owner;
                case RECIPIENT -> recipient;
                case STRANGER -> stranger;
                case PUBLIC -> publicImage;
                case OTHER_REGION -> otherRegion;
            };
        }
    }

    private static Row row(String body, String owner, String recipient, String stranger, String publicImage,
                           String otherRegion) {
        return new Row(body, false, false, owner, recipient, stranger, publicImage, otherRegion);
    }

    /** A listing: Success means the target is in the answer. */
    private static Row listing(String body, String owner, String recipient, String stranger, String publicImage,
                               String otherRegion) {
        return new Row(body, false, true, owner, recipient, stranger, publicImage, otherRegion);
    }

    /** An action that changes its instance: each perspective gets an instance of its own, running. */
    private static Row onFreshInstance(String body, String owner, String recipient, String stranger,
                                       String publicImage, String otherRegion) {
        return new Row(body, true, false, owner, recipient, stranger, publicImage, otherRegion);
    }

    private static final String ANYONE = OK;
    private static final String WEBHOOK_URL_REFUSED = "InvalidParameter.InvalidParameterUrlError";
    private static final String WEBHOOK_NOT_FOUND = "ResourceNotFound.Webhook";

    /** The table. Changes are dry runs where the action has one, so that rows do not depend on each other. */
    private static final Map<String, Row> MATRIX = Map.ofEntries(
            Map.entry("DescribeRegions", row("{}", ANYONE, ANYONE, ANYONE, ANYONE, ANYONE)),
            Map.entry("DescribeZones", row("{}", ANYONE, ANYONE, ANYONE, ANYONE, ANYONE)),
            Map.entry("DescribeImportImageOs", row("{}", ANYONE, ANYONE, ANYONE, ANYONE, ANYONE)),
            Map.entry("DescribeImageQuota", row("{}", ANYONE, ANYONE, ANYONE, ANYONE, ANYONE)),
            Map.entry("DescribeInstanceTypeConfigs", row("{}", ANYONE, ANYONE, ANYONE, ANYONE, ANYONE)),
            Map.entry("ImagehubGetCallerIdentity", row("{}", ANYONE, ANYONE, ANYONE, ANYONE, ANYONE)),
            // webhooks belong to an account, not to an image: every perspective is refused alike (no destination is
            // allowed on this node; another account's webhook id answers as a missing one, WebhookTest)
            Map.entry("ImagehubCreateWebhook", row("{\"Url\":\"$URL\",\"EventTypes\":[\"share.added\"]}",
                    WEBHOOK_URL_REFUSED, WEBHOOK_URL_REFUSED, WEBHOOK_URL_REFUSED, WEBHOOK_URL_REFUSED,
                    WEBHOOK_URL_REFUSED)),
            Map.entry("ImagehubDescribeWebhooks", row("{}", ANYONE, ANYONE, ANYONE, ANYONE, ANYONE)),
            Map.entry("ImagehubDeleteWebhook", row("{\"WebhookId\":\"wh-00000000\"}", WEBHOOK_NOT_FOUND,
                    WEBHOOK_NOT_FOUND, WEBHOOK_NOT_FOUND, WEBHOOK_NOT_FOUND, WEBHOOK_NOT_FOUND)),
            Map.entry("ImagehubDescribeWebhookDeliveries", row("{\"WebhookId\":\"wh-00000000\"}", WEBHOOK_NOT_FOUND,
                    WEBHOOK_NOT_FOUND, WEBHOOK_NOT_FOUND, WEBHOOK_NOT_FOUND, WEBHOOK_NOT_FOUND)),
            Map.entry("ImportImage", row("{\"ImageUrl\":\"$URL\",\"ImageName\":\"m\",\"OsType\":\"CentOS\","
                    + "\"OsVersion\":\"7\",\"Architecture\":\"x86_64\",\"DryRun\":true}",
                    ANYONE, ANYONE, ANYONE, ANYONE, ANYONE)),
            Map.entry("DescribeImages", listing("{\"ImageIds\":[\"$IMAGE\"]}",
                    OK, OK, NOT_LISTED, OK, NOT_LISTED)),
            Map.entry("ModifyImageAttribute", row("{\"ImageId\":\"$IMAGE\",\"ImageDescription\":\"d\"}",
                    OK, "UnsupportedOperation.SharedImageModifyUnsupported", IMAGE_NOT_FOUND, NOT_OWNER,
                    IMAGE_NOT_FOUND)),
            Map.entry("DeleteImages", row("{\"ImageIds\":[\"$IMAGE\"],\"DryRun\":true}",
                    "InvalidImageId.InShared", "InvalidParameterValue.InvalidImageIdIsShared", IMAGE_NOT_FOUND,
                    "InvalidParameterValue.InvalidImageId", IMAGE_NOT_FOUND)),
            Map.entry("ModifyImageSharePermission", row("{\"ImageId\":\"$IMAGE\",\"AccountIds\":[\"$ACCOUNT\"],"
                    + "\"Permission\":\"SHARE\"}", OK, NOT_OWNER, IMAGE_NOT_FOUND, NOT_OWNER, IMAGE_NOT_FOUND)),
            Map.entry("DescribeImageSharePermission", row("{\"ImageId\":\"$IMAGE\"}",
                    OK, NOT_OWNER, IMAGE_NOT_FOUND, NOT_OWNER, IMAGE_NOT_FOUND)),
            // the recipient's decline is undone by the next row (rows run in registry order)
            Map.entry("ImagehubDeclineSharedImage", row("{\"ImageId\":\"$IMAGE\"}", "InvalidParameterValue.InvalidImageId",
                    OK, IMAGE_NOT_FOUND, "InvalidParameterValue.InvalidImageId", IMAGE_NOT_FOUND)),
            Map.entry("ImagehubAcceptSharedImage", row("{\"ImageId\":\"$IMAGE\"}", "InvalidParameterValue.InvalidImageId",
                    OK, IMAGE_NOT_FOUND, "InvalidParameterValue.InvalidImageId", IMAGE_NOT_FOUND)),
            Map.entry("ImagehubDescribeImageAuditEvents", row("{\"ImageId\":\"$IMAGE\"}",
                    OK, NOT_OWNER, IMAGE_NOT_FOUND, NOT_OWNER, IMAGE_NOT_FOUND)),
            Map.entry("SyncImages", row("{\"ImageIds\":[\"$IMAGE\"],\"DestinationRegions\":[\"ap-beijing\"],"
                    + "\"DryRun\":true}", OK, "InvalidParameterValue.InvalidRegion", IMAGE_NOT_FOUND,
                    "InvalidParameterValue.InvalidImageId", IMAGE_NOT_FOUND)),
            Map.entry("ExportImages", row("{\"ImageIds\":[\"$IMAGE\"],\"BucketName\":\"exports\",\"DryRun\":true,"
                    + "\"FileNamePrefixList\":[\"x\"]}", OK, "UnsupportedOperation.SharedImageExportUnsupported",
                    IMAGE_NOT_FOUND, "UnsupportedOperation.PublicImageExportUnsupported", IMAGE_NOT_FOUND)),
            Map.entry("ImagehubDescribeImageDownload", row("{\"ImageId\":\"$IMAGE\"}", OK,
                    "UnsupportedOperation.SharedImageExportUnsupported", IMAGE_NOT_FOUND,
                    "UnsupportedOperation.PublicImageExportUnsupported", IMAGE_NOT_FOUND)),
            Map.entry("RunInstances", row("{\"ImageId\":\"$IMAGE\",\"Placement\":{\"Zone\":\"$ZONE\"},"
                    + "\"InstanceType\":\"S5.MEDIUM2\",\"DryRun\":true}", OK, OK, IMAGE_NOT_FOUND, OK,
                    IMAGE_NOT_FOUND)),
            Map.entry("DescribeInstances", listing("{\"InstanceIds\":[\"$INSTANCE\"]}",
                    OK, OK, NOT_LISTED, OK, NOT_LISTED)),
            Map.entry("CreateImage", row("{\"InstanceId\":\"$INSTANCE\",\"ImageName\":\"c\",\"DryRun\":true}",
                    OK, OK, INSTANCE_NOT_FOUND, OK, INSTANCE_NOT_FOUND)),
            Map.entry("StopInstances", onFreshInstance("{\"InstanceIds\":[\"$INSTANCE\"]}",
                    OK, OK, INSTANCE_NOT_FOUND, OK, INSTANCE_NOT_FOUND)),
            Map.entry("StartInstances", onFreshInstance("{\"InstanceIds\":[\"$INSTANCE\"]}",
                    "UnsupportedOperation.InstanceStateRunning", "UnsupportedOperation.InstanceStateRunning",
                    INSTANCE_NOT_FOUND, "UnsupportedOperation.InstanceStateRunning", INSTANCE_NOT_FOUND)),
            Map.entry("RebootInstances", onFreshInstance("{\"InstanceIds\":[\"$INSTANCE\"]}",
                    OK, OK, INSTANCE_NOT_FOUND, OK, INSTANCE_NOT_FOUND)),
            Map.entry("TerminateInstances", onFreshInstance("{\"InstanceIds\":[\"$INSTANCE\"]}",
                    OK, OK, INSTANCE_NOT_FOUND, OK, INSTANCE_NOT_FOUND)),
            Map.entry("ResetInstance", onFreshInstance("{\"InstanceId\":\"$INSTANCE\",\"ImageId\":\"$IMAGE\"}",
                    OK, OK, INSTANCE_NOT_FOUND, OK, INSTANCE_NOT_FOUND)));

    private static FileServer files;
    private static TestServer server;
    private static TestServer.Account alice;
    private static TestServer.Account bob;
    private static TestServer.Account carol;
    private static TestServer.Account dave;
    private static String url;
    private static String ownImage;
    private static String publicImage;
    private static Path exports;

    @BeforeAll
    static void start() throws Exception {
        files = new FileServer();
        exports = Files.createTempDirectory("imagehub-exports");
        server = TestServer.importingFrom(files, c -> {
            c.instanceTransitionMillis = 50;
            c.exportTargets = Map.of("exports", StoreConfig.directory(exports));
        });
        alice = server.createAccount("alice");
        bob = server.createAccount("bob");
        carol = server.createAccount("carol");
        dave = server.createAccount("dave");
        CvmClient aliceGz = server.client(alice, GZ);
        url = files.put("disk.raw", new byte[4096]);
        ownImage = Images.importReady(aliceGz, url, "own");
        Shares.share(aliceGz, ownImage, bob.accountId());
        publicImage = Images.firstPublic(aliceGz);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        files.close();
        TestServer.deleteTree(exports);
    }

    @Test
    void everyRegisteredActionHasARow() {
        List<String> names = server.node().actions().descriptions().stream().map(ActionDescription::name).toList();
        assertThat(MATRIX.keySet()).as("rows of the authorization matrix")
                .containsExactlyInAnyOrderElementsOf(names);
    }

    @Test
    void everyActionAnswersEachPerspectiveAsTheMatrixSays() throws Exception {
        List<String> mismatches = new ArrayList<>();
        for (ActionDescription action : server.node().actions().descriptions()) {
            Row row = MATRIX.get(action.name());
            if (row == null) {
                continue; // everyRegisteredActionHasARow names it
            }
            Map<Perspective, String> seen = new EnumMap<>(Perspective.class);
            for (Perspective p : Perspective.values()) {
                String actual = outcome(action.name(), row, p);
                seen.put(p, actual);
                if (!actual.equals(row.expected(p))) {
                    mismatches.add(action.name() + " as " + p + ": expected " + row.expected(p) + ", was " + actual);
                }
            }
        }
        assertThat(mismatches).isEmpty();
    }

    private static String outcome(String action, Row row, Perspective p) throws Exception {
        TestServer.Account caller = switch (p) {
            case RECIPIENT -> bob;
            case STRANGER -> carol;
            default -> alice;
        };
        String region = p == Perspective.OTHER_REGION ? SH : GZ;
        String image = p == Perspective.PUBLIC ? publicImage : ownImage;
        String body = row.body().replace("$IMAGE", image).replace("$URL", url).replace("$ACCOUNT", dave.accountId())
                .replace("$ZONE", server.config().region(region).zones().get(0).zone());
        String target = image;
        if (body.contains("$INSTANCE")) {
            target = instanceFor(p, row.instanceChanging()).get();
            body = body.replace("$INSTANCE", target);
        }
        JsonNode response = new RawClient(server, caller).call(action, region, body);
        String code = RawClient.errorCode(response);
        if (code != null) {
            return code;
        }
        if (row.listing()) {
            return response.toString().contains(target) ? OK : NOT_LISTED;
        }
        return OK;
    }

    private static final Map<Perspective, String> SHARED_INSTANCES = new EnumMap<>(Perspective.class);

    /**
     * The instance a perspective acts on: the recipient's own launched from the shared image, the owner's launched
     * from its own image (owner, stranger, other region) or from the public image (public). Fresh for actions that
     * change it.
     */
    private static Supplier<String> instanceFor(Perspective p, boolean fresh) {
        return () -> {
            if (!fresh && SHARED_INSTANCES.containsKey(p)) {
                return SHARED_INSTANCES.get(p);
            }
            TestServer.Account launcher = p == Perspective.RECIPIENT ? bob : alice;
            String image = p == Perspective.PUBLIC ? publicImage : ownImage;
            try {
                String instance = Instances.runReady(server.client(launcher, GZ), GZ + "-3", image);
                if (!fresh) {
                    SHARED_INSTANCES.put(p, instance);
                }
                return instance;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }
}
