package io.imagehub.domain;

import java.time.Instant;
import java.util.Map;

/**
 * An image as stored: owned by one account in one region (or public, with no owner). Whether a caller sees it
 * as PRIVATE_IMAGE or SHARED_IMAGE is a relation, computed by {@link ImagePolicy}, not a property.
 *
 * @param sizeBytes the disk file's size in bytes (0 until the bytes are in)
 * @param sha256    lower-case hex SHA-256 of the whole disk file, null until the bytes are in
 * @param origin    lineage as a JSON object: where the bytes came from
 * @param diskFormat the disk format found by inspection ({@code raw}, {@code qcow2}, ...), null until known
 * @param virtualSizeBytes the size of the disk the file holds, 0 until known
 * @param failureReason why the image's bytes were refused (IMPORTFAILED), for its owner; null otherwise
 */
public record Image(String imageId, String region, String ownerId, boolean isPublic, String name,
                    String description, ImageState state, String source, String osName, String platform,
                    String architecture, String licenseType, String bootMode, String family, boolean deprecated,
                    long sizeBytes, String sha256, Integer syncPercent, String origin, Instant createdAt,
                    Map<String, String> tags, String diskFormat, long virtualSizeBytes, String failureReason) {

    public static final String SOURCE_OFFICIAL = "OFFICIAL";
    public static final String SOURCE_IMPORT = "EXTERNAL_IMPORT";
    public static final String SOURCE_CREATE = "CREATE_IMAGE";

    public Image {
        tags = Map.copyOf(tags);
    }

    /** An image whose bytes are not in yet (or not inspected: images stored before inspection existed). */
    public Image(String imageId, String region, String ownerId, boolean isPublic, String name, String description,
                 ImageState state, String source, String osName, String platform, String architecture,
                 String licenseType, String bootMode, String family, boolean deprecated, long sizeBytes, String sha256,
                 Integer syncPercent, String origin, Instant createdAt, Map<String, String> tags) {
        this(imageId, region, ownerId, isPublic, name, description, state, source, osName, platform, architecture,
                licenseType, bootMode, family, deprecated, sizeBytes, sha256, syncPercent, origin, createdAt, tags,
                null, 0, null);
    }

    /** The size of the disk a launch needs: the virtual size, or the file size for an image never inspected. */
    public long diskBytes() {
        return virtualSizeBytes > 0 ? virtualSizeBytes : sizeBytes;
    }
}
