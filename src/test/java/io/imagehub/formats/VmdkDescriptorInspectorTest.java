package io.imagehub.formats;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A descriptor file without data is recognised as VMDK and always refused. */
class VmdkDescriptorInspectorTest extends FormatInspectorContract {

    @Override
    protected FormatInspector newInspector() {
        return new VmdkDescriptorInspector();
    }

    @Override
    protected Path sample(Path raw) throws IOException {
        return QemuImg.convert(raw, "raw", dir.resolve("sample.vmdk"), "vmdk", "subformat=monolithicFlat");
    }

    @Override
    protected long expectedVirtualSize(Path sample) {
        return -1;
    }

    @Override
    protected List<SafetyCheck> expectedRefusals() {
        return List.of(SafetyCheck.VMDK_EXTENTS);
    }

    /** Any prefix of a descriptor file is still one: refused for what it is, not for its length. */
    @Override
    protected void assertCutShort(Optional<Inspection> found, int length) {
        assertThat(found).hasValueSatisfying(i -> assertThat(i.refusals()).extracting(Refusal::check)
                .containsExactly(SafetyCheck.VMDK_EXTENTS));
    }
}
