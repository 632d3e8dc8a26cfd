package io.imagehub.formats;

import java.util.List;
import java.util.Optional;

/** RAW: every file is one, its virtual size its length. It is the answer only when no other format matched. */
final class RawInspector implements FormatInspector {
    @Override
    public DiskFormat format() {
        return DiskFormat.RAW;
    }

    @Override
    public void accept(byte[] buffer, int offset, int length) {
        // nothing to look at: the length is in the FileEnd
    }

    @Override
    public Optional<Inspection> finish(FileEnd end) {
        return Optional.of(new Inspection(DiskFormat.RAW, end.length(), List.of()));
    }
}
