package io.imagehub.blob;

import java.io.IOException;

/**
 * A chunk store call failed after the store's own retries (the store is down, failing or too slow), as opposed to
 * the data being wrong ({@link CorruptChunkException}) or absent ({@link ChunkNotFoundException}). The operation
 * that needed it may succeed when run again later.
 */
public class ChunkStoreException extends IOException {
    public ChunkStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
