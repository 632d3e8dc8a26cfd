package io.imagehub.formats;

import java.util.Arrays;

/**
 * The end of a streamed file: its length and its last bytes (up to {@link #KEPT}), where VHD keeps its footer and a
 * streamOptimized VMDK may keep its footer.
 */
public record FileEnd(long length, byte[] lastBytes) {
    /** A VMDK footer marker, footer and end-of-stream marker: 3 sectors. */
    public static final int KEPT = 3 * 512;

    /** The {@code n} bytes before the end minus {@code skip}, or null if the file is shorter. */
    public byte[] bytesBeforeEnd(int skip, int n) {
        if (skip + n > lastBytes.length) {
            return null;
        }
        int to = lastBytes.length - skip;
        return Arrays.copyOfRange(lastBytes, to - n, to);
    }
}
