package io.imagehub.domain;

import java.time.Instant;

/** A grant to launch an image, from its owner to another account, in the image's region. */
public record Share(String imageId, String accountId, Instant createdAt) {
}
