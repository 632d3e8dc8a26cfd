package io.imagehub.domain;

import java.time.Instant;

/**
 * A grant to launch an image, from its owner to another account, in the image's region.
 *
 * @param expiresAt  when the share ends by itself, or null for "until cancelled"
 * @param declinedAt when the recipient declined it (ImagehubDeclineSharedImage), or null
 */
public record Share(String imageId, String accountId, Instant createdAt, Instant expiresAt, Instant declinedAt) {
    public boolean declined() {
        return declinedAt != null;
    }
}
