package io.imagehub.domain;

import java.time.Instant;
import java.util.List;

/** Shares of images with other accounts. Bound to one transaction. */
public interface ShareRepository {
    boolean exists(String imageId, String accountId);

    List<Share> list(String imageId);

    int count(String imageId);

    /** Adds the share unless it exists; returns true if it was added. */
    boolean add(String imageId, String accountId, Instant at);

    /** Removes the share if it exists; returns true if it was removed. */
    boolean remove(String imageId, String accountId);
}
