package io.imagehub.formats;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

class RawInspectorTest extends FormatInspectorContract {

    @Override
    protected FormatInspector newInspector() {
        return new RawInspector();
    }

    @Override
    protected Path sample(Path raw) {
        return raw;
    }

    @Override
    protected long expectedVirtualSize(Path sample) throws IOException {
        return Files.size(sample);
    }

    /** Every length is a raw disk: a raw file cut short is a smaller raw disk. */
    @Override
    protected void assertCutShort(Optional<Inspection> found, int length) {
        assertThat(found).hasValueSatisfying(i -> assertThat(i.virtualSize()).isEqualTo(length));
    }
}
