package io.imagehub.blob;

import java.io.IOException;

public class ChunkNotFoundException extends IOException {
    public ChunkNotFoundException(String sha256) {
        super("chunk " + sha256 + " not found");
    }
}
