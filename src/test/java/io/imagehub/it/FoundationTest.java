package io.imagehub.it;

import static io.imagehub.it.SdkAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.tencentcloudapi.cvm.v20170312.CvmClient;
import com.tencentcloudapi.cvm.v20170312.models.DeleteImagesRequest;
import com.tencentcloudapi.cvm.v20170312.models.DescribeImageQuotaRequest;
import com.tencentcloudapi.cvm.v20170312.models.DescribeImagesRequest;
import com.tencentcloudapi.cvm.v20170312.models.DescribeImagesResponse;
import com.tencentcloudapi.cvm.v20170312.models.DescribeImportImageOsRequest;
import com.tencentcloudapi.cvm.v20170312.models.DescribeImportImageOsResponse;
import com.tencentcloudapi.cvm.v20170312.models.DescribeRegionsRequest;
import com.tencentcloudapi.cvm.v20170312.models.DescribeRegionsResponse;
import com.tencentcloudapi.cvm.v20170312.models.DescribeZonesRequest;
import com.tencentcloudapi.cvm.v20170312.models.DescribeZonesResponse;
import com.tencentcloudapi.cvm.v20170312.models.Filter;
import com.tencentcloudapi.cvm.v20170312.models.Image;
import com.tencentcloudapi.cvm.v20170312.models.ImportImageRequest;
import com.tencentcloudapi.cvm.v20170312.models.ModifyImageAttributeRequest;
import com.tencentcloudapi.cvm.v20170312.models.RegionInfo;
import com.tencentcloudapi.cvm.v20170312.models.Tag;
import com.tencentcloudapi.cvm.v20170312.models.TagSpecification;
import io.imagehub.api.Tc3Signer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The foundation, end to end through the official SDK: regions, public images, import, rename, quota, delete. */
class FoundationTest {
    private static final String GZ = "ap-guangzhou";
    private static TestServer server;
    private static FileServer files;
    private static TestServer.Account alice;
    private static CvmClient aliceGz;

    @BeforeAll
    static void start() throws Exception {
        files = new FileServer();
        server = TestServer.importingFrom(files, c -> {
            c.importAllow.add(files.brokenBaseUrl());
            c.imageQuota = 3;
            c.importReadTimeoutSeconds = 2;
        });
        alice = server.createAccount("alice");
        aliceGz = server.client(alice, GZ);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        files.close();
    }

    @Test
    void describeRegionsListsTheDefaultRegions() throws Exception {
        DescribeRegionsResponse response = aliceGz.DescribeRegions(new DescribeRegionsRequest());
        assertThat(Arrays.stream(response.getRegionSet()).map(RegionInfo::getRegion))
                .contains("ap-guangzhou", "ap-shanghai", "ap-beijing");
        assertThat(response.getTotalCount()).isEqualTo(response.getRegionSet().length);
        assertThat(response.getRegionSet()).allMatch(r -> r.getRegionState().equals("AVAILABLE"));
    }

    @Test
    void describeZonesListsAvailableZonesOfTheRequestRegion() throws Exception {
        DescribeZonesResponse response = server.client(alice, "ap-beijing").DescribeZones(new DescribeZonesRequest());
        assertThat(response.getZoneSet()).isNotEmpty()
                .allMatch(z -> z.getZone().startsWith("ap-beijing-") && z.getZoneState().equals("AVAILABLE"));
    }

    @Test
    void everyRegionOffersANormalPublicImageWithRealBytes() throws Exception {
        for (String region : new String[] {"ap-guangzhou", "ap-shanghai", "ap-beijing"}) {
            DescribeImagesRequest request = new DescribeImagesRequest();
            request.setFilters(new Filter[] {filter("image-type", "PUBLIC_IMAGE")});
            DescribeImagesResponse response = server.client(alice, region).DescribeImages(request);
            assertThat(response.getImageSet()).isNotEmpty().allMatch(i -> i.getImageState().equals("NORMAL")
                    && i.getImageType().equals("PUBLIC_IMAGE") && i.getImageCreator().equals("tencent"));
            JsonNode raw = new RawClient(server, alice).call("DescribeImages", region,
                    "{\"ImageIds\":[\"" + response.getImageSet()[0].getImageId() + "\"]}");
            assertThat(raw.at("/ImageSet/0/ImagehubSha256").asText()).matches("sha256:[0-9a-f]{64}");
            assertThat(raw.at("/ImageSet/0/ImagehubSizeBytes").asLong()).isPositive();
        }
    }

    @Test
    void importRenameAndDeleteAnImage() throws Exception {
        byte[] disk = randomBytes(5 * 1024 * 1024 + 17);
        String url = files.put("centos.qcow2", disk);
        ImportImageRequest request = new ImportImageRequest();
        request.setArchitecture("x86_64");
        request.setOsType("CentOS");
        request.setOsVersion("7");
        request.setImageUrl(url);
        request.setImageName("centos-golden");
        request.setImageDescription("our base");
        TagSpecification tags = new TagSpecification();
        tags.setResourceType("image");
        Tag tag = new Tag();
        tag.setKey("env");
        tag.setValue("prod");
        tags.setTags(new Tag[] {tag});
        request.setTagSpecification(new TagSpecification[] {tags});
        String id = aliceGz.ImportImage(request).getImageId();
        assertThat(id).matches("img-[a-z0-9]{8}");

        Image image = Images.awaitSettled(aliceGz, id);
        assertThat(image.getImageState()).isEqualTo("NORMAL");
        assertThat(image.getImageType()).isEqualTo("PRIVATE_IMAGE");
        assertThat(image.getImageSource()).isEqualTo("EXTERNAL_IMPORT");
        assertThat(image.getImageCreator()).isEqualTo(alice.accountId());
        assertThat(image.getPlatform()).isEqualTo("CentOS");
        assertThat(image.getTags()).extracting(Tag::getKey).containsExactly("env");
        JsonNode raw = new RawClient(server, alice).call("DescribeImages", GZ, "{\"ImageIds\":[\"" + id + "\"]}");
        assertThat(raw.at("/ImageSet/0/ImagehubSha256").asText()).isEqualTo("sha256:" + Tc3Signer.sha256Hex(disk));
        assertThat(raw.at("/ImageSet/0/ImagehubSizeBytes").asLong()).isEqualTo(disk.length);

        DescribeImagesRequest byTag = new DescribeImagesRequest();
        byTag.setFilters(new Filter[] {filter("tag:env", "prod")});
        assertThat(aliceGz.DescribeImages(byTag).getImageSet()).extracting(Image::getImageId).containsExactly(id);

        ModifyImageAttributeRequest rename = new ModifyImageAttributeRequest();
        rename.setImageId(id);
        rename.setImageName("centos-golden-v2");
        aliceGz.ModifyImageAttribute(rename);
        assertThat(Images.find(aliceGz, id).orElseThrow().getImageName()).isEqualTo("centos-golden-v2");

        DescribeImagesRequest byName = new DescribeImagesRequest();
        byName.setFilters(new Filter[] {filter("image-name", "GOLDEN-V2")});
        assertThat(aliceGz.DescribeImages(byName).getImageSet()).extracting(Image::getImageId).containsExactly(id);

        DeleteImagesRequest delete = new DeleteImagesRequest();
        delete.setImageIds(new String[] {id});
        aliceGz.DeleteImages(delete);
        assertThat(Images.find(aliceGz, id)).isEmpty();
    }

    @Test
    void describeImageQuotaReportsTheConfiguredQuotaAndImportPastItIsRefused() throws Exception {
        TestServer.Account carol = server.createAccount("carol");
        CvmClient carolGz = server.client(carol, GZ);
        assertThat(carolGz.DescribeImageQuota(new DescribeImageQuotaRequest()).getImageNumQuota()).isEqualTo(3L);
        String url = files.put("small.raw", randomBytes(1000));
        for (int i = 0; i < 3; i++) {
            Images.importImage(carolGz, url, "img-" + i);
        }
        assertRefused("ImageQuotaLimitExceeded", () -> Images.importImage(carolGz, url, "one-too-many"));
        // the quota is per region: another region still has room
        Images.importImage(server.client(carol, "ap-shanghai"), url, "img-0");
    }

    @Test
    void aFailedDownloadEndsImportFailed() throws Exception {
        String missing = Images.importImage(aliceGz, files.baseUrl() + "no-such-file.raw", "missing");
        assertThat(Images.awaitSettled(aliceGz, missing).getImageState()).isEqualTo("IMPORTFAILED");
        files.put("half.raw", randomBytes(3 * 1024 * 1024));
        String truncated = Images.importImage(aliceGz, files.truncatedUrl("half.raw"), "truncated");
        assertThat(Images.awaitSettled(aliceGz, truncated).getImageState()).isEqualTo("IMPORTFAILED");
        String stalled = Images.importImage(aliceGz, files.stalledUrl("half.raw"), "stalled");
        assertThat(Images.awaitSettled(aliceGz, stalled).getImageState()).isEqualTo("IMPORTFAILED");
        // a failed import occupies quota until deleted; deletion frees it
        DeleteImagesRequest delete = new DeleteImagesRequest();
        delete.setImageIds(new String[] {missing, truncated, stalled});
        aliceGz.DeleteImages(delete);
        assertThat(Images.find(aliceGz, missing)).isEmpty();
    }

    @Test
    void describeImportImageOsListsTheCatalogue() throws Exception {
        DescribeImportImageOsResponse response = aliceGz.DescribeImportImageOs(new DescribeImportImageOsRequest());
        assertThat(response.getImportImageOsListSupported().getLinux()).contains("CentOS", "Ubuntu");
        assertThat(response.getImportImageOsVersionSet()).anyMatch(v -> v.getOsName().equals("CentOS"));
    }

    static Filter filter(String name, String... values) {
        Filter f = new Filter();
        f.setName(name);
        f.setValues(values);
        return f;
    }

    static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new Random(n).nextBytes(bytes);
        return bytes;
    }
}
