package io.imagehub.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import java.util.function.Consumer;

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

    /**
     * Writes {@code chunks} 4 MiB chunks of seeded noise (every chunk distinct) to {@code file} without holding the
     * disk in memory; gives each chunk's SHA-256 to {@code chunkDigests} and returns the whole file's (hex).
     */
    public static String writeDisk(Path file, int chunks, long seed, Consumer<String> chunkDigests) throws IOException {
        try {
            MessageDigest whole = MessageDigest.getInstance("SHA-256");
            Random random = new Random(seed);
            byte[] chunk = new byte[4 << 20];
            try (OutputStream out = Files.newOutputStream(file)) {
                for (int i = 0; i < chunks; i++) {
                    random.nextBytes(chunk);
                    out.write(chunk);
                    whole.update(chunk);
                    chunkDigests.accept(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(chunk)));
                }
            }
            return HexFormat.of().formatHex(whole.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The image's ImagehubSha256 ("sha256:<hex>") as its region's DescribeImages shows it, or null. */
    public static String digest(RawClient client, String region, String imageId) {
        JsonNode response = client.call("DescribeImages", region, "{\"ImageIds\":[\"" + imageId + "\"]}");
        JsonNode digest = response.at("/ImageSet/0/ImagehubSha256");
        return digest.isMissingNode() || digest.isNull() ? null : digest.asText();
    }
}
