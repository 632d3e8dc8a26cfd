package io.imagehub.domain;

/** An image together with what it is to the caller: PUBLIC_IMAGE, PRIVATE_IMAGE or SHARED_IMAGE. */
public record ImageView(Image image, String imageType) {
}
