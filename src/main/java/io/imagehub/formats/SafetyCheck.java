package io.imagehub.formats;

/**
 * The named safety checks an image must pass before it is stored as usable. A disk file is hostile input: the first
 * three are the class of CVE-2022-47951 and CVE-2024-32498 (a disk that makes its reader open other host files).
 */
public enum SafetyCheck {
    /** QCOW2 backing file, VMDK parent: the disk's content continues in another file. */
    BACKING_FILE("backing-file"),
    /** QCOW2 external data file: the guest's data lives in another host file. */
    DATA_FILE("data-file"),
    /** A QCOW2 incompatible-feature bit this inspector does not know: it cannot say what the reader would do. */
    UNKNOWN_FEATURES("unknown-features"),
    /** An encrypted QCOW2: nobody can launch it without its key. */
    ENCRYPTED("encrypted"),
    /** A VMDK whose descriptor names extents other than its own sparse data (monolithicFlat, split disks...). */
    VMDK_EXTENTS("vmdk-extents"),
    /** A VMDK createType other than monolithicSparse and streamOptimized. */
    VMDK_CREATE_TYPE("vmdk-create-type"),
    /** A VHD or VHDX differencing disk (a child of a parent disk file). */
    DIFFERENCING("differencing"),
    /** The content matches more than one format: a reader could take it for either. */
    MULTIPLE_FORMATS("multiple-formats"),
    /** The virtual size is negative or beyond the configured maximum. */
    VIRTUAL_SIZE("virtual-size"),
    /** The image's structures or data run past the end of the file. */
    TRUNCATED("truncated"),
    /** The structures contradict themselves or exceed what the inspector is willing to hold. */
    MALFORMED("malformed");

    private final String id;

    SafetyCheck(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
