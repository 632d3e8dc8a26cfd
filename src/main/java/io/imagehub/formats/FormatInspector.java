package io.imagehub.formats;

import java.util.Optional;

/**
 * Recognises one disk format in a file streamed past it once, keeping only the header regions it needs. Fed by the
 * one read an import already does, however the reads are split: {@link #accept} sees every byte once, in order.
 * An inspector never throws on hostile content: what is wrong with a file of its format is a {@link Refusal}.
 */
public interface FormatInspector {

    DiskFormat format();

    /** The next {@code length} bytes of the file. */
    void accept(byte[] buffer, int offset, int length);

    /** After the last byte: what the file is if it is of this format, empty if it is not. */
    Optional<Inspection> finish(FileEnd end);
}
