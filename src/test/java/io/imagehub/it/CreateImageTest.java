package io.imagehub.it;

import static io.imagehub.it.Instances.createImageRequest;
import static io.imagehub.it.Instances.runReady;
import static io.imagehub.it.Instances.settledIn;
import static io.imagehub.it.Instances.share;
import static io.imagehub.it.SdkAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import com.tencentcloudapi.cvm.v20170312.CvmClient;
import com.tencentcloudapi.cvm.v20170312.models.CreateImageRequest;
import com.tencentcloudapi.cvm.v20170312.models.DeleteImagesRequest;
import com.tencentcloudapi.cvm.v20170312.models.DescribeImagesRequest;
import com.tencentcloudapi.cvm.v20170312.models.Filter;
import com.tencentcloudapi.cvm.v20170312.models.Image;
import com.tencentcloudapi.cvm.v20170312.models.Instance;
import com.tencentcloudapi.cvm.v20170312.models.Tag;
import com.tencentcloudapi.cvm.v20170312.models.TagSpecification;
import io.imagehub.api.Tc3Signer;
import io.imagehub.blob.ChunkStore;
import io.imagehub.blob.ChunkedImageWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CreateImage through the official SDK: the new image is the caller's private image, made from the instance's disk
 * manifest without writing a byte, with the same digest, its lineage shown to its owner only.
 */
class CreateImageTest {
    private static final String GZ = "ap-guangzhou";
    private static final String ZONE = "ap-guangzhou-6";
    private static final int IMAGE_QUOTA = 4;
    private static TestServer server;
    private static FileServer files;
    private static TestServer.Account alice;
    private static TestServer.Account bob;
    private static CvmClient aliceGz;
    private static CvmClient bobGz;
    /** Alice's imported image, shared with bob. */
    private static String golden;

    @BeforeAll
    static void start() throws Exception {
        files = new FileServer();
        server = TestServer.importingFrom(files, c -> {
            c.instanceTransitionMillis = 50;
            c.imageQuota = IMAGE_QUOTA;
            c.gcGraceSeconds = 0; // lets a test collect garbage at once
        });
        alice = server.createAccount("alice");
        bob = server.createAccount("bob");
        aliceGz = server.client(alice, GZ);
        bobGz = server.client(bob, GZ);
        golden = importReady(aliceGz, "golden");
        share(aliceGz, golden, bob.accountId(), "SHARE");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        files.close();
    }

    private static String importReady(CvmClient client, String name) throws TencentCloudSDKException {
        return Images.importReady(client, files.put(name + ".raw", disk(name)), name);
    }

    private static byte[] disk(String name) {
        byte[] disk = new byte[6 * 1024 * 1024 + 3];
        new Random(name.hashCode()).nextBytes(disk);
        return disk;
    }

    private static List<String> chunkDigests(byte[] disk) {
        List<String> digests = new ArrayList<>();
        for (int at = 0; at < disk.length; at += ChunkedImageWriter.DEFAULT_CHUNK_SIZE) {
            digests.add(Tc3Signer.sha256Hex(Arrays.copyOfRange(disk, at,
                    Math.min(disk.length, at + ChunkedImageWriter.DEFAULT_CHUNK_SIZE))));
        }
        return digests;
    }

    /** The image as its caller's DescribeImages shows it, extension members included; null if not visible. */
    private static JsonNode raw(TestServer.Account caller, String imageId) {
        JsonNode set = new RawClient(server, caller).call("DescribeImages", GZ, "{\"ImageIds\":[\"" + imageId + "\"]}")
                .path("ImageSet");
        return set.isEmpty() ? null : set.get(0);
    }

    private static String createImage(CvmClient client, String instanceId, String name) throws TencentCloudSDKException {
        return client.CreateImage(createImageRequest(instanceId, name)).getImageId();
    }

    private static long privateImages(CvmClient client) throws TencentCloudSDKException {
        DescribeImagesRequest request = new DescribeImagesRequest();
        Filter filter = new Filter();
        filter.setName("image-type");
        filter.setValues(new String[] {"PRIVATE_IMAGE"});
        request.setFilters(new Filter[] {filter});
        return client.DescribeImages(request).getTotalCount();
    }

    @Test
    void ownerCreatesAnImageOfItsInstanceWithoutWritingBytes() throws Exception {
        String instanceId = runReady(aliceGz, ZONE, golden);
        long chunksBefore = server.chunksWritten();
        String imageId = createImage(aliceGz, instanceId, "golden-captured");

        Image image = Images.awaitSettled(aliceGz, imageId);
        assertThat(image.getImageState()).isEqualTo("NORMAL");
        assertThat(image.getImageType()).isEqualTo("PRIVATE_IMAGE");
        assertThat(image.getImageSource()).isEqualTo("CREATE_IMAGE");
        assertThat(image.getImageCreator()).isEqualTo(alice.accountId());
        assertThat(image.getOsName()).isEqualTo(Images.find(aliceGz, golden).orElseThrow().getOsName());
        JsonNode created = raw(alice, imageId);
        JsonNode source = raw(alice, golden);
        assertThat(created.path("ImagehubSha256").asText()).isEqualTo(source.path("ImagehubSha256").asText()).isNotEmpty();
        assertThat(created.path("ImagehubSizeBytes").asLong()).isEqualTo(source.path("ImagehubSizeBytes").asLong());
        assertThat(server.chunksWritten()).as("an unchanged disk is imaged without writing chunks").isEqualTo(chunksBefore);

        assertThat(created.path("ImagehubLineage").path("Kind").asText()).isEqualTo("CREATED");
        assertThat(created.path("ImagehubLineage").path("InstanceId").asText()).isEqualTo(instanceId);
        assertThat(created.path("ImagehubLineage").path("LaunchedFromImageId").asText()).isEqualTo(golden);
        assertThat(created.path("ImagehubLineage").path("LaunchedFromImageOwner").asText()).isEqualTo(alice.accountId());
        assertThat(source.path("ImagehubLineage").path("Kind").asText()).isEqualTo("IMPORTED");

        Instance instance = Instances.await(aliceGz, instanceId, settledIn("RUNNING"));
        assertThat(instance.getLatestOperation()).isEqualTo("CreateImage");
    }

    @Test
    void recipientCreatesItsOwnPrivateImageAndMayShareIt() throws Exception {
        String instanceId = runReady(bobGz, ZONE, golden);
        String imageId = createImage(bobGz, instanceId, "from-shared");
        Image image = Images.awaitSettled(bobGz, imageId);
        assertThat(image.getImageState()).isEqualTo("NORMAL");
        assertThat(image.getImageType()).isEqualTo("PRIVATE_IMAGE");
        assertThat(image.getImageCreator()).isEqualTo(bob.accountId());
        JsonNode bobsView = raw(bob, imageId);
        assertThat(bobsView.path("ImagehubSha256").asText()).isEqualTo(raw(alice, golden).path("ImagehubSha256").asText());
        assertThat(bobsView.path("ImagehubLineage").path("LaunchedFromImageId").asText()).isEqualTo(golden);
        assertThat(bobsView.path("ImagehubLineage").path("LaunchedFromImageOwner").asText()).isEqualTo(alice.accountId());

        assertThat(Images.find(aliceGz, imageId)).as("the source image's owner learns nothing of it").isEmpty();
        assertThat(raw(alice, golden).path("ImagehubLineage").path("Kind").asText()).isEqualTo("IMPORTED");
        assertThat(raw(bob, golden).has("ImagehubLineage")).as("a recipient never sees lineage").isFalse();

        TestServer.Account carol = server.createAccount("carol");
        share(bobGz, imageId, carol.accountId(), "SHARE");
        CvmClient carolGz = server.client(carol, GZ);
        assertThat(Images.find(carolGz, imageId).orElseThrow().getImageType()).isEqualTo("SHARED_IMAGE");
        assertThat(raw(carol, imageId).has("ImagehubLineage")).isFalse();
        String carolsInstance = runReady(carolGz, ZONE, imageId);
        assertThat(Instances.find(carolGz, carolsInstance).orElseThrow().getImageId()).isEqualTo(imageId);
    }

    @Test
    void anInstanceOutlivesItsDeletedImageAndCanStillBeImaged() throws Exception {
        String temporary = importReady(aliceGz, "temporary");
        String digest = raw(alice, temporary).path("ImagehubSha256").asText();
        String instanceId = runReady(aliceGz, ZONE, temporary);
        DeleteImagesRequest delete = new DeleteImagesRequest();
        delete.setImageIds(new String[] {temporary});
        aliceGz.DeleteImages(delete);
        server.node().garbageCollector().run();
        ChunkStore store = server.node().chunkStores().forRegion(GZ);
        for (String chunk : chunkDigests(disk("temporary"))) {
            assertThat(store.contains(chunk)).as("the instance's disk keeps its chunks alive").isTrue();
        }

        long chunksBefore = server.chunksWritten();
        String rescued = createImage(aliceGz, instanceId, "rescued");
        assertThat(Images.awaitSettled(aliceGz, rescued).getImageState()).isEqualTo("NORMAL");
        assertThat(raw(alice, rescued).path("ImagehubSha256").asText()).isEqualTo(digest);
        assertThat(server.chunksWritten()).isEqualTo(chunksBefore);
        runReady(aliceGz, ZONE, rescued);
        DeleteImagesRequest cleanUp = new DeleteImagesRequest();
        cleanUp.setImageIds(new String[] {rescued});
        aliceGz.DeleteImages(cleanUp);
    }

    @Test
    void forcePoweroffStopsTheInstanceBeforeTheCaptureAndTagsGoOnTheImage() throws Exception {
        String instanceId = runReady(bobGz, ZONE, golden);
        CreateImageRequest request = createImageRequest(instanceId, "powered-off");
        request.setForcePoweroff("true");
        Tag tag = new Tag();
        tag.setKey("stage");
        tag.setValue("golden");
        TagSpecification tags = new TagSpecification();
        tags.setResourceType("image");
        tags.setTags(new Tag[] {tag});
        request.setTagSpecification(new TagSpecification[] {tags});
        String imageId = bobGz.CreateImage(request).getImageId();
        Image image = Images.awaitSettled(bobGz, imageId);
        assertThat(image.getImageState()).isEqualTo("NORMAL");
        assertThat(image.getTags()).extracting(Tag::getKey, Tag::getValue).containsExactly(tuple("stage", "golden"));
        Instance instance = Instances.await(bobGz, instanceId, settledIn("STOPPED"));
        assertThat(instance.getLatestOperation()).isEqualTo("CreateImage");
    }

    @Test
    void createImageRefusalsChangeNothing() throws Exception {
        TestServer.Account dave = server.createAccount("dave");
        CvmClient daveGz = server.client(dave, GZ);
        DescribeImagesRequest publicImages = new DescribeImagesRequest();
        Filter filter = new Filter();
        filter.setName("image-type");
        filter.setValues(new String[] {"PUBLIC_IMAGE"});
        publicImages.setFilters(new Filter[] {filter});
        String publicImage = daveGz.DescribeImages(publicImages).getImageSet()[0].getImageId();
        String instanceId = runReady(daveGz, ZONE, publicImage);

        String first = createImage(daveGz, instanceId, "first");
        assertThat(Images.awaitSettled(daveGz, first).getImageState()).isEqualTo("NORMAL");
        assertThat(raw(dave, first).path("ImagehubLineage").path("LaunchedFromImageOwner").asText()).isEqualTo("tencent");
        assertRefused("InvalidImageName.Duplicate", () -> createImage(daveGz, instanceId, "first"));

        CreateImageRequest dryRun = createImageRequest(instanceId, "dry");
        dryRun.setDryRun(true);
        assertThat(daveGz.CreateImage(dryRun).getImageId()).isNull();
        dryRun.setImageName("first");
        assertRefused("InvalidImageName.Duplicate", () -> daveGz.CreateImage(dryRun));
        assertThat(privateImages(daveGz)).isEqualTo(1);

        for (int i = 2; i <= IMAGE_QUOTA; i++) {
            Images.awaitSettled(daveGz, createImage(daveGz, instanceId, "image-" + i));
        }
        assertRefused("ImageQuotaLimitExceeded", () -> createImage(daveGz, instanceId, "one-too-many"));
        assertThat(privateImages(daveGz)).isEqualTo(IMAGE_QUOTA);

        assertRefused("InvalidInstanceId.NotFound", () -> createImage(bobGz, instanceId, "not-bobs"));
        assertThat(privateImages(bobGz)).isZero();
        CreateImageRequest noInstance = createImageRequest(null, "nothing");
        assertRefused("InvalidParameter.SpecifyOneParameter", () -> daveGz.CreateImage(noInstance));
        assertRefused("InvalidParameterValue.TooLarge", () -> createImage(daveGz, instanceId, "n".repeat(61)));
        CreateImageRequest badFlag = createImageRequest(instanceId, "bad-flag");
        badFlag.setForcePoweroff("maybe");
        assertRefused("InvalidParameterValue", () -> daveGz.CreateImage(badFlag));
        assertThat(privateImages(daveGz)).isEqualTo(IMAGE_QUOTA);
    }
}
