package io.imagehub.domain;

import java.util.List;
import java.util.Optional;

/** Images in the metadata store. Bound to one transaction. */
public interface ImageRepository {
    Optional<Image> find(String imageId);

    /** Finds and locks the image row until the transaction ends, serialising every change to it. */
    Optional<Image> findForUpdate(String imageId);

    void insert(Image image);

    void updateAttributes(String imageId, String name, String description, String family, boolean deprecated);

    /** Records the outcome of filling an image with bytes: its state, size, digest and chunk manifest. */
    void completeData(String imageId, ImageState state, long sizeBytes, String sha256, String manifestJson);

    /** Records what inspection found the image's file to be (or the disk it was captured from). */
    void recordDisk(String imageId, String diskFormat, long virtualSizeBytes);

    /** Records why the image's bytes were refused or could not be had. */
    void recordFailure(String imageId, String reason);

    void updateSyncPercent(String imageId, int percent);

    void delete(String imageId);

    /**
     * The versions of what {@link #search} shows the account: its own and shared images, and the public images.
     * Any transaction that changes either has bumped it by the time it commits (docs/adr/0008-listing-cache.md).
     */
    ListingVersion listingVersion(String accountId);

    /** Custom images owned by the account in the region, in any state: what the quota counts. */
    int countOwned(String ownerId, String region);

    boolean nameTaken(String ownerId, String region, String name, String exceptImageId);

    /** The image's chunk manifest as JSON, or null if it has no bytes yet. */
    String manifest(String imageId);

    Page<ImageView> search(ImageQuery query);
}
