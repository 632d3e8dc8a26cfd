package io.imagehub.domain;

/**
 * How much long-running work one account may have under way at once, across all nodes (docs/adr/0015-request-limits.md):
 * imports from a URL, open uploads, SyncImages destinations being filled, and ExportImages tasks. 0 or less: no bound.
 */
public record InFlightLimits(int imports, int uploads, int syncs, int exports) {
    /** One bound: how many, what the refusal calls them, and the code it answers. */
    record Bound(int max, String what, String code) {
    }

    Bound of(String jobKind) {
        return switch (jobKind) {
            case ImageService.JOB_IMPORT -> new Bound(imports, "imports", ErrorCodes.LIMIT_EXCEEDED);
            case ImageService.JOB_UPLOAD -> new Bound(uploads, "uploads", ErrorCodes.LIMIT_EXCEEDED);
            case DataPlaneService.JOB_SYNC -> new Bound(syncs, "image copies (SyncImages destinations)",
                    ErrorCodes.LIMIT_EXCEEDED);
            case DataPlaneService.JOB_EXPORT -> new Bound(exports, "export tasks",
                    ErrorCodes.EXPORT_TASK_LIMIT_EXCEEDED);
            default -> throw new IllegalArgumentException("no in-flight bound for job kind " + jobKind);
        };
    }
}
