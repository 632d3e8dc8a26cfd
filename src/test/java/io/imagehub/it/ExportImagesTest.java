package io.imagehub.it;

import static io.imagehub.it.SdkAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import com.tencentcloudapi.cvm.v20170312.CvmClient;
import com.tencentcloudapi.cvm.v20170312.models.ExportImagesRequest;
import com.tencentcloudapi.cvm.v20170312.models.ExportImagesResponse;
import com.tencentcloudapi.cvm.v20170312.models.ModifyImageSharePermissionRequest;
import io.imagehub.api.Tc3Signer;
import io.imagehub.config.StoreConfig;
import io.imagehub.formats.QemuImg;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ExportImages end to end through the official SDK, into an operator-configured directory target. */
class ExportImagesTest {
    private static final String GZ = "ap-guangzhou";
    private static final String BUCKET = "exports-1250000000";

    @TempDir
    static Path target;
    private static FileServer files;
    private static TestServer server;
    private static TestServer.Account alice;
    private static CvmClient aliceGz;
    private static String image;
    private static byte[] disk;

    @BeforeAll
    static void start() throws Exception {
        files = new FileServer();
        server = TestServer.importingFrom(files, c -> {
            c.exportTargets = Map.of(BUCKET, StoreConfig.directory(target));
            c.jobWorkers = 1; // jobs run in queue order: see assertNothingExportedWithPrefix
        });
        alice = server.createAccount("export-alice");
        aliceGz = server.client(alice, GZ);
        disk = ImageBytes.disk(9 * 1024 * 1024 + 5, 21);
        image = Images.importReady(aliceGz, files.put("export.raw", disk), "to-export");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        files.close();
    }

    @Test
    void exportsTheStoredBytesUnderTheDocumentedNameWithTheImageDigest() throws Exception {
        ExportImagesResponse response = aliceGz.ExportImages(request(image));

        assertThat(response.getTaskId()).isPositive();
        assertThat(response.getCosPaths()).containsExactly("/" + image + "_system.raw");
        Path file = awaitFile(target.resolve(image + "_system.raw"));
        assertThat(Tc3Signer.sha256Hex(Files.readAllBytes(file))).isEqualTo(Tc3Signer.sha256Hex(disk));
        try (Stream<Path> left = Files.list(target)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(name -> name.startsWith(".export-"));
        }
    }

    @Test
    void namesTheFileWithTheGivenPrefix() throws Exception {
        ExportImagesRequest request = request(image);
        request.setFileNamePrefixList(new String[] {"nightly"});
        request.setExportFormat("raw");

        assertThat(aliceGz.ExportImages(request).getCosPaths()).containsExactly("/nightly_" + image + "_system.raw");
        assertThat(awaitFile(target.resolve("nightly_" + image + "_system.raw"))).hasSize(disk.length);
    }

    @Test
    void dryRunChecksEverythingAndExportsNothing() throws Exception {
        ExportImagesRequest request = request(image);
        request.setDryRun(true);
        request.setFileNamePrefixList(new String[] {"dry"});

        ExportImagesResponse response = aliceGz.ExportImages(request);

        assertThat(response.getTaskId()).isNull();
        assertThat(response.getCosPaths()).isEmpty();
        assertNothingExportedWithPrefix("dry");
        request.setBucketName("nobody-configured-this");
        assertRefused("InvalidParameterValue.BucketNotFound", () -> aliceGz.ExportImages(request));
    }

    @Test
    void refusesAnUnknownBucket() {
        ExportImagesRequest request = request(image);
        request.setBucketName("nobody-configured-this");
        assertRefused("InvalidParameterValue.BucketNotFound", () -> aliceGz.ExportImages(request));
    }

    @Test
    void refusesAnExportFormatTencentDoesNotHave() throws Exception {
        ExportImagesRequest request = request(image);
        request.setExportFormat("VDI");
        request.setFileNamePrefixList(new String[] {"vdi"});
        assertRefused("InvalidParameterValue", () -> aliceGz.ExportImages(request));
        assertNothingExportedWithPrefix("vdi");
    }

    @Test
    void convertsARawImageToEachOtherFormatWhichQemuReadsBackAsTheSameDisk() throws Exception {
        for (String format : new String[] {"QCOW2", "VHD", "VMDK"}) {
            ExportImagesRequest request = request(image);
            request.setExportFormat(format);
            request.setFileNamePrefixList(new String[] {"as-" + format.toLowerCase()});
            String path = aliceGz.ExportImages(request).getCosPaths()[0];
            assertThat(path).endsWith("_system." + format.toLowerCase());
            Path file = awaitFile(target.resolve(path.substring(1)));
            String qemuFormat = format.equals("VHD") ? "vpc" : format.toLowerCase();
            Path back = QemuImg.convert(file, qemuFormat, target.getParent().resolve("back-" + format + ".raw"),
                    "raw", null);
            byte[] disk512 = Arrays.copyOf(disk, (disk.length + 511) / 512 * 512); // qemu works in sectors
            assertThat(Tc3Signer.sha256Hex(Arrays.copyOf(Files.readAllBytes(back), disk512.length)))
                    .as(format).isEqualTo(Tc3Signer.sha256Hex(disk512));
        }
    }

    @Test
    void refusesPrefixListsThatDoNotMatchOrCouldLeaveTheTarget() throws Exception {
        ExportImagesRequest twoPrefixes = request(image);
        twoPrefixes.setFileNamePrefixList(new String[] {"a", "b"});
        assertRefused("InvalidParameterValue.InvalidFileNamePrefixList", () -> aliceGz.ExportImages(twoPrefixes));
        ExportImagesRequest escaping = request(image);
        escaping.setFileNamePrefixList(new String[] {"../escape"});
        assertRefused("InvalidParameterValue.InvalidFileNamePrefixList", () -> aliceGz.ExportImages(escaping));
        assertThat(target.getParent().resolve("escape_" + image + "_system.raw")).doesNotExist();
    }

    @Test
    void aRecipientCannotExportASharedImage() throws Exception {
        TestServer.Account bob = server.createAccount("export-bob");
        ModifyImageSharePermissionRequest share = new ModifyImageSharePermissionRequest();
        share.setImageId(image);
        share.setAccountIds(new String[] {bob.accountId()});
        share.setPermission("SHARE");
        aliceGz.ModifyImageSharePermission(share);
        ExportImagesRequest request = request(image);
        request.setFileNamePrefixList(new String[] {"bob"});

        assertRefused("UnsupportedOperation.SharedImageExportUnsupported",
                () -> server.client(bob, GZ).ExportImages(request));
        assertNothingExportedWithPrefix("bob");
    }

    private static ExportImagesRequest request(String imageId) {
        ExportImagesRequest request = new ExportImagesRequest();
        request.setBucketName(BUCKET);
        request.setImageIds(new String[] {imageId});
        return request;
    }

    /**
     * A refused call queues no job. Proven by queuing a control export after it and waiting for that: with one
     * worker, a job the refused call had queued would have run first.
     */
    private static void assertNothingExportedWithPrefix(String prefix) throws Exception {
        ExportImagesRequest control = request(image);
        control.setFileNamePrefixList(new String[] {"control-after-" + prefix});
        aliceGz.ExportImages(control);
        awaitFile(target.resolve("control-after-" + prefix + "_" + image + "_system.raw"));
        try (Stream<Path> written = Files.list(target)) {
            assertThat(written.map(p -> p.getFileName().toString())).noneMatch(name -> name.startsWith(prefix));
        }
    }

    private static Path awaitFile(Path file) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!Files.exists(file)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(file + " was not exported within 30 s");
            }
            Thread.sleep(50);
        }
        return file;
    }
}
