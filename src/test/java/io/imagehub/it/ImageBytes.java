package io.imagehub.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Random;

/** Disk images for data-plane tests, and the digest an image reports through the ImagehubSha256 extension. */
public final class ImageBytes {
    private ImageBytes() {
    }

    /** {@code size} bytes of seeded noise: every 4 MiB chunk is distinct, and the same seed gives the same disk. */
    public static byte[] disk(int size, long seed) {
        byte[] disk = new byte[size];
        new Random(seed).nextBytes(disk);
        return disk;
    }

    /** The image's ImagehubSha256 ("sha256:<hex>") as its region's DescribeImages shows it, or null. */
    public static String digest(RawClient client, String region, String imageId) {
        JsonNode response = client.call("DescribeImages", region, "{\"ImageIds\":[\"" + imageId + "\"]}");
        JsonNode digest = response.at("/ImageSet/0/ImagehubSha256");
        return digest.isMissingNode() || digest.isNull() ? null : digest.asText();
    }
}
