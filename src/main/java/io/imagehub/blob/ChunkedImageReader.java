package io.imagehub.blob;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;

/** Reads an image back from its chunks. */
public final class ChunkedImageReader {

    private ChunkedImageReader() {
    }

    /**
     * A stream of the image's bytes that holds one chunk in memory at a time. Each chunk is verified by the
     * store; the image's size and SHA-256 are verified when the end is reached, where a mismatch (a wrong
     * or tampered manifest) is thrown as an {@link IOException} instead of returning end of stream.
     * Nothing is fetched before the first read.
     */
    public static InputStream open(Manifest manifest, ChunkStore store) {
        return new ChunkStream(manifest, store);
    }

    private static final class ChunkStream extends InputStream {

        private static final byte[] NONE = new byte[0];

        private final Manifest manifest;
        private final List<String> chunks;
        private final ChunkStore store;
        private final MessageDigest imageDigest = Sha256.newDigest();
        private byte[] chunk = NONE;
        private int position;
        private int nextChunk;
        private long bytesFetched;
        private String imageSha256;
        private boolean closed;

        ChunkStream(Manifest manifest, ChunkStore store) {
            this.manifest = manifest;
            this.chunks = manifest.chunks();
            this.store = store;
        }

        @Override
        public int read() throws IOException {
            return hasBytes() ? chunk[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (!hasBytes()) {
                return -1;
            }
            int n = Math.min(len, chunk.length - position);
            System.arraycopy(chunk, position, b, off, n);
            position += n;
            return n;
        }

        @Override
        public int available() {
            return chunk.length - position;
        }

        /** True once the current chunk has unread bytes; false at the verified end of the image. */
        private boolean hasBytes() throws IOException {
            if (closed) {
                throw new IOException("stream closed");
            }
            while (position == chunk.length) {
                if (nextChunk == chunks.size()) {
                    verifyImage();
                    return false;
                }
                chunk = store.get(chunks.get(nextChunk++));
                position = 0;
                imageDigest.update(chunk);
                bytesFetched += chunk.length;
            }
            return true;
        }

        private void verifyImage() throws IOException {
            if (imageSha256 == null) {
                imageSha256 = Sha256.hex(imageDigest);
            }
            if (bytesFetched != manifest.size() || !imageSha256.equals(manifest.sha256())) {
                throw new IOException("image has " + bytesFetched + " bytes with SHA-256 " + imageSha256
                        + ", its manifest says " + manifest.size() + " bytes with SHA-256 " + manifest.sha256());
            }
        }

        @Override
        public void close() {
            closed = true;
            chunk = NONE;
            position = 0;
        }
    }
}
