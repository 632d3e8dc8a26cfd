package io.imagehub.jobs;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Refuses to read past a bound, so that an endless download or a longer-than-announced upload cannot fill the disk.
 * The caller words the refusal: it is the message of the {@link TooLongException} thrown at the first byte too many.
 */
public final class BoundedInputStream extends FilterInputStream {
    /** Thrown when the stream goes past its bound. */
    public static final class TooLongException extends IOException {
        TooLongException(String message) {
            super(message);
        }
    }

    private final long max;
    private final String refusal;
    private long count;

    public BoundedInputStream(InputStream in, long max, String refusal) {
        super(in);
        this.max = max;
        this.refusal = refusal;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            add(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int off, int len) throws IOException {
        int n = super.read(buffer, off, len);
        if (n > 0) {
            add(n);
        }
        return n;
    }

    private void add(long n) throws TooLongException {
        count += n;
        if (count > max) {
            throw new TooLongException(refusal);
        }
    }
}
