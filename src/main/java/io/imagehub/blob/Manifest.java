package io.imagehub.blob;

import java.util.List;

/** An image's bytes: the ordered chunk digests, the total size and the SHA-256 of the whole image. */
public record Manifest(List<String> chunks, long size, String sha256) {
    public Manifest {
        chunks = List.copyOf(chunks);
    }
}
