package io.imagehub.blob;

import java.io.IOException;

public class CorruptChunkException extends IOException {
    public CorruptChunkException(String sha256) {
        super("chunk " + sha256 + " does not match its digest");
    }
}
