package io.imagehub.formats;

import java.io.IOException;
import java.nio.file.Path;

class VhdxInspectorTest extends FormatInspectorContract {

    @Override
    protected FormatInspector newInspector() {
        return new VhdxInspector();
    }

    @Override
    protected Path sample(Path raw) throws IOException {
        return QemuImg.convert(raw, "raw", dir.resolve("sample.vhdx"), "vhdx", null);
    }

    @Override
    protected long expectedVirtualSize(Path sample) throws IOException {
        return QemuImg.virtualSize(sample, "vhdx");
    }
}
