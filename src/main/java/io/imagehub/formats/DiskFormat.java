package io.imagehub.formats;

import java.util.Locale;

/** The disk file formats imagehub recognises, named as Tencent's ImportImage and ExportImages name them. */
public enum DiskFormat {
    RAW("raw"), QCOW2("qcow2"), VMDK("vmdk"), VHD("vpc"), VHDX("vhdx");

    private final String qemuName;

    DiskFormat(String qemuName) {
        this.qemuName = qemuName;
    }

    /** The lower-case name shown to users ({@code ImagehubDiskFormat}) and stored. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** What {@code qemu-img -f/-O} calls it (VHD is "vpc" there). */
    public String qemuName() {
        return qemuName;
    }

    public static DiskFormat of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
