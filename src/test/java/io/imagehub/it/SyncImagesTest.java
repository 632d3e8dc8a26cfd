package io.imagehub.it;

import static io.imagehub.it.SdkAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import com.tencentcloudapi.cvm.v20170312.CvmClient;
import com.tencentcloudapi.cvm.v20170312.models.DescribeImagesRequest;
import com.tencentcloudapi.cvm.v20170312.models.Filter;
import com.tencentcloudapi.cvm.v20170312.models.Image;
import com.tencentcloudapi.cvm.v20170312.models.SyncImage;
import com.tencentcloudapi.cvm.v20170312.models.SyncImagesRequest;
import io.imagehub.api.Tc3Signer;
import io.imagehub.blob.ChunkStore;
import io.imagehub.config.StoreConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SyncImages end to end through the official SDK. Guangzhou and Beijing share one directory store, Shanghai has its
 * own, so a copy to Shanghai moves chunks and a copy to Beijing is metadata only.
 */
class SyncImagesTest {
    private static final String GZ = "ap-guangzhou";
    private static final String SH = "ap-shanghai";
    private static final String BJ = "ap-beijing";
    private static final int CHUNK = 4 * 1024 * 1024;
    private static final int QUOTA = 3;

    @TempDir
    static Path storesDir;
    private static FileServer files;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        files = new FileServer();
        server = TestServer.importingFrom(files, c -> {
            c.importAllow.add(files.brokenBaseUrl());
            c.importReadTimeoutSeconds = 30;
            c.jobWorkers = 3;
            c.imageQuota = QUOTA;
            c.stores = Map.of("one", StoreConfig.directory(storesDir.resolve("one")),
                    "two", StoreConfig.directory(storesDir.resolve("two")));
            c.regionStore = Map.of(GZ, "one", BJ, "one", SH, "two");
        });
    }

    @AfterAll
    static void stop() throws Exception {
        files.close();
        server.close();
    }

    @Test
    void syncsToTwoRegionsAtOnceKeepingDigestAndOsAndMovingChunksOnlyBetweenStores() throws Exception {
        TestServer.Account alice = server.createAccount("sync-alice");
        byte[] disk = ImageBytes.disk(2 * CHUNK + 123, 1);
        String source = Images.importReady(client(alice, GZ), files.put("two-regions.raw", disk), "golden");
        long shWritten = store(SH).chunksWritten();
        long gzWritten = store(GZ).chunksWritten();

        SyncImage[] copies = sync(alice, source, true, SH, BJ);

        assertThat(copies).extracting(SyncImage::getRegion).containsExactly(SH, BJ);
        Image original = Images.find(client(alice, GZ), source).orElseThrow();
        RawClient raw = new RawClient(server, alice);
        for (SyncImage copy : copies) {
            assertThat(copy.getImageId()).isNotEqualTo(source).matches("img-[a-z0-9]{8}");
            Image synced = Images.awaitSettled(client(alice, copy.getRegion()), copy.getImageId());
            assertThat(synced.getImageState()).isEqualTo("NORMAL");
            assertThat(synced.getSyncPercent()).isEqualTo(100L);
            assertThat(synced.getImageType()).isEqualTo("PRIVATE_IMAGE");
            assertThat(synced.getImageName()).isEqualTo("golden");
            assertThat(synced.getImageSource()).isEqualTo(original.getImageSource());
            assertThat(synced.getOsName()).isEqualTo(original.getOsName());
            assertThat(synced.getPlatform()).isEqualTo(original.getPlatform());
            assertThat(ImageBytes.digest(raw, copy.getRegion(), copy.getImageId()))
                    .isEqualTo("sha256:" + Tc3Signer.sha256Hex(disk));
        }
        assertThat(store(SH).chunksWritten() - shWritten).isEqualTo(3);
        assertThat(store(GZ).chunksWritten() - gzWritten).as("Beijing shares Guangzhou's store").isZero();
    }

    @Test
    void syncMovesOnlyTheChunksTheDestinationLacks() throws Exception {
        TestServer.Account alice = server.createAccount("sync-delta");
        byte[] first = ImageBytes.disk(5 * CHUNK, 2);
        byte[] second = first.clone();
        second[second.length - 1] ^= 1; // only the last chunk differs
        String v1 = Images.importReady(client(alice, GZ), files.put("delta-v1.raw", first), "v1");
        String v2 = Images.importReady(client(alice, GZ), files.put("delta-v2.raw", second), "v2");
        Images.awaitSettled(client(alice, SH), sync(alice, v1, true, SH)[0].getImageId());
        long before = store(SH).chunksWritten();

        String copy = sync(alice, v2, true, SH)[0].getImageId();

        assertThat(Images.awaitSettled(client(alice, SH), copy).getImageState()).isEqualTo("NORMAL");
        assertThat(store(SH).chunksWritten() - before).isEqualTo(1);
        assertThat(ImageBytes.digest(new RawClient(server, alice), SH, copy))
                .isEqualTo("sha256:" + Tc3Signer.sha256Hex(second));
    }

    @Test
    void recipientCannotSyncASharedImage() throws Exception {
        TestServer.Account owner = server.createAccount("sync-owner");
        TestServer.Account bob = server.createAccount("sync-bob");
        String image = Images.importReady(client(owner, GZ), files.put("shared.raw", ImageBytes.disk(1000, 3)), "shared");
        Instances.share(client(owner, GZ), image, bob.accountId(), "SHARE");

        // spec S11 / 7.1: for a shared image, the destination region is what is refused
        assertRefused("InvalidParameterValue.InvalidRegion", () -> sync(bob, image, false, SH));

        assertThat(privateImages(bob, SH)).isZero();
        assertThat(privateImages(owner, SH)).isZero();
    }

    @Test
    void recipientMaySyncASharedImageIntoItsOwnRegionAsAnImageOfTheirOwn() throws Exception {
        TestServer.Account owner = server.createAccount("sync-lender");
        TestServer.Account carol = server.createAccount("sync-carol");
        String image = Images.importReady(client(owner, GZ), files.put("lent.raw", ImageBytes.disk(1000, 9)), "lent");
        Instances.share(client(owner, GZ), image, carol.accountId(), "SHARE");
        long chunksBefore = server.chunksWritten();

        // spec S11: the one copy a recipient may make, into the shared image's own region
        SyncImage[] copies = sync(carol, image, true, GZ);
        assertThat(copies).hasSize(1);
        Image copy = Images.awaitSettled(client(carol, GZ), copies[0].getImageId());
        assertThat(copy.getImageState()).isEqualTo("NORMAL");
        assertThat(copy.getImageType()).isEqualTo("PRIVATE_IMAGE");
        assertThat(copy.getImageName()).isEqualTo("lent");
        assertThat(privateImages(carol, GZ)).isEqualTo(1); // counts toward carol's quota, the shared one does not
        assertThat(Images.find(client(owner, GZ), copy.getImageId())).isEmpty();
        RawClient carolRaw = new RawClient(server, carol);
        assertThat(ImageBytes.digest(carolRaw, GZ, copy.getImageId())).isEqualTo(ImageBytes.digest(carolRaw, GZ, image));
        assertThat(carolRaw.call("DescribeImages", GZ, "{\"ImageIds\":[\"" + copy.getImageId() + "\"]}")
                .path("ImageSet").get(0).path("ImagehubLineage").toString()).contains(image);
        assertThat(server.chunksWritten()).isEqualTo(chunksBefore); // one store: the copy is metadata only

        assertRefused("InvalidParameterValue.InvalidRegion", () -> sync(carol, image, false, SH));
        assertRefused("InvalidParameterValue.InvalidRegion", () -> sync(carol, image, false, GZ, SH));
        assertThat(privateImages(carol, SH)).isZero();
    }

    @Test
    void refusesTheImagesOwnRegionAnUnknownRegionAndMoreThanOneImage() throws Exception {
        TestServer.Account alice = server.createAccount("sync-rules");
        String image = Images.importReady(client(alice, GZ), files.put("rules.raw", ImageBytes.disk(1000, 4)), "rules");

        assertRefused("InvalidParameterValue.InvalidRegion", () -> sync(alice, image, false, SH, GZ));
        assertRefused("InvalidRegion.NotFound", () -> sync(alice, image, false, SH, "ap-nowhere"));
        SyncImagesRequest two = new SyncImagesRequest();
        two.setImageIds(new String[] {image, image});
        two.setDestinationRegions(new String[] {SH});
        assertRefused("InvalidParameterValue.LimitExceeded", () -> client(alice, GZ).SyncImages(two));

        assertThat(privateImages(alice, SH)).isZero();
        assertThat(privateImages(alice, GZ)).isEqualTo(1);
    }

    @Test
    void refusesAnImageThatIsNotNormal() throws Exception {
        TestServer.Account alice = server.createAccount("sync-busy");
        files.put("busy.raw", ImageBytes.disk(1000, 5));
        String importing = Images.importImage(client(alice, GZ), files.stalledUrl("busy.raw"), "busy");

        assertRefused("InvalidParameterValue.InvalidImageState", () -> sync(alice, importing, false, SH));

        assertThat(privateImages(alice, SH)).isZero();
    }

    @Test
    void refusesANameTakenInADestinationAndCreatesNothingAnywhere() throws Exception {
        TestServer.Account alice = server.createAccount("sync-names");
        String image = Images.importReady(client(alice, GZ), files.put("names.raw", ImageBytes.disk(1000, 6)), "names");
        Images.awaitSettled(client(alice, BJ), sync(alice, image, true, BJ)[0].getImageId());

        assertRefused("InvalidImageName.Duplicate", () -> sync(alice, image, false, SH, BJ));

        assertThat(privateImages(alice, SH)).isZero();
        assertThat(privateImages(alice, BJ)).isEqualTo(1);
    }

    @Test
    void aCopyCountsInTheDestinationQuotaAndAFullDestinationStopsTheWholeCall() throws Exception {
        TestServer.Account alice = server.createAccount("sync-quota");
        String image = Images.importReady(client(alice, GZ), files.put("quota.raw", ImageBytes.disk(1000, 7)), "quota");
        for (int i = 0; i < QUOTA; i++) {
            SyncImagesRequest request = request(image, BJ);
            request.setImageName("quota-" + i);
            client(alice, GZ).SyncImages(request);
        }

        assertRefused("ImageQuotaLimitExceeded", () -> sync(alice, image, false, SH, BJ));

        assertThat(privateImages(alice, SH)).isZero();
        assertThat(privateImages(alice, BJ)).isEqualTo(QUOTA);
    }

    @Test
    void dryRunChecksEverythingAndCreatesNothing() throws Exception {
        TestServer.Account alice = server.createAccount("sync-dry");
        String image = Images.importReady(client(alice, GZ), files.put("dry.raw", ImageBytes.disk(1000, 8)), "dry");
        SyncImagesRequest request = request(image, SH);
        request.setDryRun(true);
        request.setImageSetRequired(true);

        assertThat(client(alice, GZ).SyncImages(request).getImageSet()).isEmpty();
        assertThat(privateImages(alice, SH)).isZero();
        request.setDestinationRegions(new String[] {GZ});
        assertRefused("InvalidParameterValue.InvalidRegion", () -> client(alice, GZ).SyncImages(request));
    }

    private static SyncImage[] sync(TestServer.Account account, String imageId, boolean imageSet, String... regions)
            throws Exception {
        SyncImagesRequest request = request(imageId, regions);
        request.setImageSetRequired(imageSet);
        return client(account, GZ).SyncImages(request).getImageSet();
    }

    private static SyncImagesRequest request(String imageId, String... regions) {
        SyncImagesRequest request = new SyncImagesRequest();
        request.setImageIds(new String[] {imageId});
        request.setDestinationRegions(regions);
        return request;
    }

    private static long privateImages(TestServer.Account account, String region) throws Exception {
        DescribeImagesRequest request = new DescribeImagesRequest();
        Filter type = new Filter();
        type.setName("image-type");
        type.setValues(new String[] {"PRIVATE_IMAGE"});
        request.setFilters(new Filter[] {type});
        return client(account, region).DescribeImages(request).getTotalCount();
    }

    private static CvmClient client(TestServer.Account account, String region) {
        return server.client(account, region);
    }

    private static ChunkStore store(String region) {
        return server.node().chunkStores().forRegion(region);
    }

}
