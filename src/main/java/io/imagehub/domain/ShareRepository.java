package io.imagehub.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Shares of images with other accounts. Bound to one transaction. */
public interface ShareRepository {
    boolean exists(String imageId, String accountId);

    Optional<Share> find(String imageId, String accountId);

    List<Share> list(String imageId);

    int count(String imageId);

    /** Adds the share unless it exists; returns true if it was added. */
    boolean add(String imageId, String accountId, Instant at);

    /** Sets when an existing share ends by itself (null: until cancelled). */
    void setExpiry(String imageId, String accountId, Instant expiresAt);

    /** The image's shares whose expiry is at or before {@code now}. */
    List<Share> due(String imageId, Instant now);

    /** Declines ({@code at} non-null) or accepts again (null) a share; returns false if there is no such share. */
    boolean setDeclined(String imageId, String accountId, Instant at);

    /** Removes the share if it exists; returns true if it was removed. */
    boolean remove(String imageId, String accountId);
}
