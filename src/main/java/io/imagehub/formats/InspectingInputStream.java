package io.imagehub.formats;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Shows every byte read through it to a {@link DiskInspection}: inspection rides on a read that happens anyway. */
public final class InspectingInputStream extends FilterInputStream {
    private final DiskInspection inspection;

    public InspectingInputStream(InputStream in, DiskInspection inspection) {
        super(in);
        this.inspection = inspection;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            inspection.accept(new byte[] {(byte) b}, 0, 1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        inspection.accept(buffer, offset, n);
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        throw new IOException("an inspected stream is read, not skipped");
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
