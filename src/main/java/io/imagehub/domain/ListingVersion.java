package io.imagehub.domain;

/**
 * The version of an account's image listing: {@code account} changes with its own images and the images shared with
 * it, {@code publicImages} with the public images. Equal versions mean the listing has not changed.
 */
public record ListingVersion(long account, long publicImages) {
}
