package io.imagehub.it;

import static io.imagehub.it.SdkAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.tencentcloudapi.cvm.v20170312.CvmClient;
import com.tencentcloudapi.cvm.v20170312.models.Image;
import com.tencentcloudapi.cvm.v20170312.models.RunInstancesRequest;
import com.tencentcloudapi.cvm.v20170312.models.SystemDisk;
import io.imagehub.api.Tc3Signer;
import io.imagehub.blob.ChunkStore;
import io.imagehub.blob.ChunkedImageWriter;
import io.imagehub.formats.QemuImg;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ImportImage inspects what it downloads: format, virtual size and the safety checks, seen through the SDK. */
class DiskFormatImportTest {
    private static final String GZ = "ap-guangzhou";
    private static final long VIRTUAL = (20L << 30) + 512; // ImageSize 21: rounded up

    @TempDir
    static Path dir;
    private static FileServer files;
    private static TestServer server;
    private static TestServer.Account alice;
    private static TestServer.Account bob;
    private static CvmClient aliceGz;
    private static CvmClient bobGz;

    @BeforeAll
    static void start() throws Exception {
        files = new FileServer();
        server = TestServer.importingFrom(files, c -> {
            c.gcGraceSeconds = 0;
            c.gcIntervalSeconds = 0;
        });
        alice = server.createAccount("formats-alice");
        bob = server.createAccount("formats-bob");
        aliceGz = server.client(alice, GZ);
        bobGz = server.client(bob, GZ);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        files.close();
    }

    private static JsonNode describe(TestServer.Account account, String imageId) {
        return new RawClient(server, account).call("DescribeImages", GZ,
                "{\"ImageIds\":[\"" + imageId + "\"]}").at("/ImageSet/0");
    }

    @Test
    void reportsTheVirtualSizeAndFormatToEveryViewerAndLaunchesOnlyOnADiskThatHoldsIt() throws Exception {
        Path raw = QemuImg.noise(dir, "content.raw", 3 << 20, 5);
        Path small = QemuImg.convert(raw, "raw", dir.resolve("content.qcow2"), "qcow2", null);
        QemuImg.run("resize", "-q", "-f", "qcow2", small.toString(), Long.toString(VIRTUAL));
        String id = Images.importReady(aliceGz, files.put("big.qcow2", Files.readAllBytes(small)), "big-qcow2");
        Instances.share(aliceGz, id, bob.accountId(), "SHARE");

        Image seen = Images.find(bobGz, id).orElseThrow();
        assertThat(seen.getImageSize()).isEqualTo(21L);
        for (TestServer.Account viewer : List.of(alice, bob)) {
            JsonNode image = describe(viewer, id);
            assertThat(image.get("ImagehubDiskFormat").asText()).isEqualTo("qcow2");
            assertThat(image.get("ImagehubVirtualSizeBytes").asLong()).isEqualTo(VIRTUAL);
            assertThat(image.get("ImagehubSizeBytes").asLong()).isEqualTo(Files.size(small));
        }
        assertThat(describe(bob, id).path("ImagehubFailureReason").isMissingNode()
                || describe(bob, id).get("ImagehubFailureReason").isNull()).isTrue();

        RunInstancesRequest tooSmall = Instances.runRequest(GZ + "-3", id, 1);
        SystemDisk disk = new SystemDisk();
        disk.setDiskSize(20L);
        tooSmall.setSystemDisk(disk);
        assertRefused("InvalidParameterValue", () -> bobGz.RunInstances(tooSmall));
    }

    /** The unsafe kinds, each as the bytes of a file a hostile user could serve. */
    private static Map<String, byte[]> unsafeFiles() throws Exception {
        Map<String, byte[]> unsafe = new LinkedHashMap<>();
        Path base = QemuImg.create(dir, "base.qcow2", "qcow2", 1 << 20, null);
        QemuImg.run("create", "-q", "-f", "qcow2", "-b", base.toString(), "-F", "qcow2",
                dir.resolve("child.qcow2").toString());
        unsafe.put("backing-file", Files.readAllBytes(dir.resolve("child.qcow2")));
        unsafe.put("data-file", Files.readAllBytes(QemuImg.create(dir, "data.qcow2", "qcow2", 1 << 20,
                "data_file=" + dir.resolve("host-file.raw"))));
        byte[] unknown = Files.readAllBytes(base);
        unknown[79] |= 0x20;
        unsafe.put("unknown-features", unknown);
        unsafe.put("vmdk-extents", Files.readAllBytes(QemuImg.create(dir, "flat.vmdk", "vmdk", 1 << 20,
                "subformat=monolithicFlat")));
        byte[] differencing = Files.readAllBytes(QemuImg.create(dir, "dynamic.vhd", "vpc", 1 << 20, null));
        differencing[63] = 4;
        differencing[differencing.length - 512 + 63] = 4;
        unsafe.put("differencing", differencing);
        byte[] vhdFooter = Files.readAllBytes(QemuImg.create(dir, "fixed.vhd", "vpc", 1 << 20,
                "subformat=fixed,force_size=on"));
        byte[] both = Arrays.copyOf(Files.readAllBytes(base), (int) Files.size(base) + 512);
        System.arraycopy(vhdFooter, vhdFooter.length - 512, both, both.length - 512, 512);
        unsafe.put("multiple-formats", both);
        unsafe.put("virtual-size", Files.readAllBytes(QemuImg.create(dir, "huge.qcow2", "qcow2", 3L << 40, null)));
        byte[] full = Files.readAllBytes(QemuImg.convert(QemuImg.noise(dir, "n.raw", 2 << 20, 9), "raw",
                dir.resolve("full.qcow2"), "qcow2", null));
        unsafe.put("truncated", Arrays.copyOf(full, full.length / 2));
        return unsafe;
    }

    @Test
    void refusesEachUnsafeKindWithItsReasonForTheOwnerAndLeavesNoChunksAfterCollection() throws Exception {
        Map<String, String> imported = new LinkedHashMap<>();
        Map<String, byte[]> unsafe = unsafeFiles();
        for (Map.Entry<String, byte[]> file : unsafe.entrySet()) {
            imported.put(file.getKey(), Images.importImage(aliceGz, files.put(file.getKey(), file.getValue()),
                    "unsafe-" + file.getKey()));
        }
        for (Map.Entry<String, String> image : imported.entrySet()) {
            assertThat(Images.awaitSettled(aliceGz, image.getValue()).getImageState()).isEqualTo("IMPORTFAILED");
            JsonNode seen = describe(alice, image.getValue());
            assertThat(seen.get("ImagehubFailureReason").asText()).as(image.getKey())
                    .contains(image.getKey() + ": ");
            assertThat(AdminAudit.ofImage(server.endpoint(), server.adminToken(), image.getValue()))
                    .anySatisfy(event -> assertThat(event.toString()).contains("Failed")
                            .contains(image.getKey() + ": "));
        }

        server.node().garbageCollector().run();
        Collection<ChunkStore> stores = server.node().chunkStores().distinct();
        for (byte[] file : unsafe.values()) {
            for (String chunk : chunksOf(file)) {
                for (ChunkStore store : stores) {
                    assertThat(store.contains(chunk)).isFalse();
                }
            }
        }
    }

    private static List<String> chunksOf(byte[] file) {
        int size = ChunkedImageWriter.DEFAULT_CHUNK_SIZE;
        List<String> chunks = new ArrayList<>();
        for (int at = 0; at < file.length; at += size) {
            chunks.add(Tc3Signer.sha256Hex(Arrays.copyOfRange(file, at, Math.min(file.length, at + size))));
        }
        return chunks;
    }
}
