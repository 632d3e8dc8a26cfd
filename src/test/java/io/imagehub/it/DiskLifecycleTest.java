package io.imagehub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.tencentcloudapi.cvm.v20170312.CvmClient;
import com.tencentcloudapi.cvm.v20170312.models.ExportImagesRequest;
import com.tencentcloudapi.cvm.v20170312.models.Image;
import com.tencentcloudapi.cvm.v20170312.models.RunInstancesRequest;
import com.tencentcloudapi.cvm.v20170312.models.SystemDisk;
import io.imagehub.api.Tc3Signer;
import io.imagehub.config.StoreConfig;
import io.imagehub.formats.QemuImg;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A QCOW2's whole life: imported by its owner, shared, launched by the recipient, captured with CreateImage, and
 * exported back as QCOW2 (a byte copy) and as RAW (a conversion), both of which hold the original disk.
 */
class DiskLifecycleTest {
    private static final String GZ = "ap-guangzhou";
    private static final String BUCKET = "lifecycle-1250000000";
    private static final int VIRTUAL = 16 << 20;

    @TempDir
    static Path dir;
    @TempDir
    static Path exports;
    private static FileServer files;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        files = new FileServer();
        server = TestServer.importingFrom(files, c -> c.exportTargets = Map.of(BUCKET, StoreConfig.directory(exports)));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        files.close();
    }

    @Test
    void aQcow2ImportedSharedLaunchedCapturedAndExportedKeepsItsDisk() throws Exception {
        byte[] content = Arrays.copyOf(Files.readAllBytes(QemuImg.noise(dir, "noise", 3 << 20, 17)), VIRTUAL);
        Path raw = Files.write(dir.resolve("disk.raw"), content);
        byte[] qcow2 = Files.readAllBytes(QemuImg.convert(raw, "raw", dir.resolve("disk.qcow2"), "qcow2", null));
        TestServer.Account alice = server.createAccount("life-alice");
        TestServer.Account bob = server.createAccount("life-bob");
        CvmClient aliceGz = server.client(alice, GZ);
        CvmClient bobGz = server.client(bob, GZ);

        String imported = Images.importReady(aliceGz, files.put("disk.qcow2", qcow2), "life-qcow2");
        Instances.share(aliceGz, imported, bob.accountId(), "SHARE");
        Image shared = Images.find(bobGz, imported).orElseThrow();
        assertThat(shared.getImageSize()).isEqualTo(1L); // 16 MiB, rounded up to whole GiB
        JsonNode asRecipient = describe(bob, imported);
        assertThat(asRecipient.get("ImagehubDiskFormat").asText()).isEqualTo("qcow2");
        assertThat(asRecipient.get("ImagehubVirtualSizeBytes").asLong()).isEqualTo(VIRTUAL);
        assertThat(asRecipient.path("ImagehubLineage").isMissingNode() || asRecipient.get("ImagehubLineage").isNull())
                .isTrue();

        RunInstancesRequest run = Instances.runRequest(GZ + "-3", imported, 1);
        SystemDisk disk = new SystemDisk();
        disk.setDiskSize(20L);
        run.setSystemDisk(disk);
        String instance = bobGz.RunInstances(run).getInstanceIdSet()[0];
        Instances.await(bobGz, instance, Instances.settledIn("RUNNING"));
        String captured = bobGz.CreateImage(Instances.createImageRequest(instance, "life-captured")).getImageId();
        assertThat(Images.awaitSettled(bobGz, captured).getImageState()).isEqualTo("NORMAL");
        JsonNode capturedSeen = describe(bob, captured);
        assertThat(capturedSeen.get("ImagehubDiskFormat").asText()).isEqualTo("qcow2");
        assertThat(capturedSeen.get("ImagehubVirtualSizeBytes").asLong()).isEqualTo(VIRTUAL);

        Path asQcow2 = export(bobGz, captured, "QCOW2");
        Path asRaw = export(bobGz, captured, "RAW");
        assertThat(Files.readAllBytes(asQcow2)).as("same format: the stored bytes").isEqualTo(qcow2);
        String original = Tc3Signer.sha256Hex(content);
        assertThat(Tc3Signer.sha256Hex(Files.readAllBytes(asRaw))).isEqualTo(original);
        Path qcow2Back = QemuImg.convert(asQcow2, "qcow2", dir.resolve("back.raw"), "raw", null);
        assertThat(Tc3Signer.sha256Hex(Files.readAllBytes(qcow2Back))).isEqualTo(original);
        assertThat(AdminAudit.ofImage(server.endpoint(), server.adminToken(), captured))
                .anySatisfy(e -> assertThat(e.toString()).contains("ImageExported")
                        .contains("sha256:" + Tc3Signer.sha256Hex(Files.readAllBytes(asRaw))));
    }

    private static JsonNode describe(TestServer.Account account, String imageId) {
        return new RawClient(server, account).call("DescribeImages", GZ, "{\"ImageIds\":[\"" + imageId + "\"]}")
                .at("/ImageSet/0");
    }

    private static Path export(CvmClient client, String imageId, String format) throws Exception {
        ExportImagesRequest request = new ExportImagesRequest();
        request.setBucketName(BUCKET);
        request.setImageIds(new String[] {imageId});
        request.setExportFormat(format);
        Path file = exports.resolve(client.ExportImages(request).getCosPaths()[0].substring(1));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!Files.exists(file)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(file + " was not exported within 60 s");
            }
            Thread.sleep(50);
        }
        return file;
    }
}
