package io.imagehub.domain;

import static io.imagehub.domain.ErrorCodes.INVALID_BOOT_MODE;
import static io.imagehub.domain.ErrorCodes.INVALID_IMAGE_FAMILY;
import static io.imagehub.domain.ErrorCodes.INVALID_LICENSE_TYPE;
import static io.imagehub.domain.ErrorCodes.INVALID_OS_TYPE;
import static io.imagehub.domain.ErrorCodes.INVALID_OS_VERSION;
import static io.imagehub.domain.ErrorCodes.INVALID_PARAMETER_VALUE;
import static io.imagehub.domain.ErrorCodes.INVALID_URL;
import static io.imagehub.domain.ErrorCodes.ISO_MUST_IMPORT_BY_FORCE;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * ImportImage: checks the request against the OS catalogue and the {@link OutboundUrlPolicy}, then hands the image
 * row and its job to {@link ImageService#startImport}; or, for a local file, opens an upload ({@link #startUpload}).
 * Only URLs the operator allowed are fetched, so that the service cannot be turned against the hosts around it; a
 * refused URL is written to the audit trail.
 */
public final class ImportService {
    private static final List<String> ARCHITECTURES = List.of("x86_64", "i386", "arm_64");
    private static final List<String> LICENSE_TYPES = List.of("TencentCloud", "BYOL");
    private static final List<String> BOOT_MODES = List.of("Legacy BIOS", "UEFI");
    private static final Pattern FAMILY = Pattern.compile("[A-Za-z][A-Za-z0-9._-]{0,59}");

    /** What the caller asked to import, already checked for presence and length. */
    public record ImportSpec(String architecture, String osType, String osVersion, String imageUrl, String name,
                             String description, boolean force, String licenseType, String bootMode, String family,
                             Map<String, String> tags) {
    }

    /** The bounds of uploads: the largest file and how long an upload may take. */
    public record Uploads(long maxBytes, Duration expiry, TransferTokens tokens) {
    }

    private final ImageService images;
    private final OutboundUrlPolicy urlPolicy;
    private final Uploads uploads;
    private final Clock clock;
    private final Runnable jobQueued;

    /** {@code jobQueued} is told when an import job is queued, so a worker can start it at once. */
    public ImportService(ImageService images, OutboundUrlPolicy urlPolicy, Uploads uploads, Clock clock,
                         Runnable jobQueued) {
        this.images = images;
        this.urlPolicy = urlPolicy;
        this.uploads = uploads;
        this.clock = clock;
        this.jobQueued = jobQueued;
    }

    public Image start(CallContext ctx, ImportSpec spec, boolean dryRun) {
        checkSpec(spec);
        OutboundUrl url = allowedUrl(ctx, spec.imageUrl());
        if (url.fileName().toLowerCase(Locale.ROOT).endsWith(".iso") && !spec.force()) {
            throw new ApiException(ISO_MUST_IMPORT_BY_FORCE, "An ISO file can only be imported with `Force` set.");
        }
        Image started = images.startImport(ctx, draft(ctx, spec, Lineage.imported(url.toString())), url.toString(),
                dryRun);
        if (!dryRun) {
            jobQueued.run();
        }
        return started;
    }

    /** An image imported from an upload, and the signed URL its bytes go to (docs/adr/0012-uploads.md). */
    public record StartedUpload(Image image, TransferTokens.Grant grant) {
    }

    /**
     * Checks the request as {@link #start} does (OS, quota, name) before any byte is sent, and creates the image in
     * state IMPORTING with an upload of {@code sizeBytes} that expires after {@link Uploads#expiry()}.
     */
    public StartedUpload startUpload(CallContext ctx, ImportSpec spec, long sizeBytes, boolean dryRun) {
        checkSpec(spec);
        if (sizeBytes < 1 || sizeBytes > uploads.maxBytes()) {
            throw new ApiException(INVALID_PARAMETER_VALUE, "`ImagehubUploadSizeBytes` must be between 1 and "
                    + uploads.maxBytes() + ".");
        }
        Image draft = draft(ctx, spec, Lineage.uploaded());
        Instant expiresAt = clock.instant().plus(uploads.expiry());
        Image started = images.startUpload(ctx, draft, sizeBytes, expiresAt, dryRun);
        return new StartedUpload(started, dryRun ? null
                : uploads.tokens().grant(started.imageId(), TransferTokens.Direction.UPLOAD, expiresAt));
    }

    private void checkSpec(ImportSpec spec) {
        if (!ARCHITECTURES.contains(spec.architecture())) {
            throw new ApiException(INVALID_PARAMETER_VALUE, "`Architecture` must be one of " + ARCHITECTURES + ".");
        }
        ImportOsCatalogue.OsEntry os = ImportOsCatalogue.find(spec.osType());
        if (os == null) {
            throw new ApiException(INVALID_OS_TYPE, "The OS type `" + spec.osType() + "` cannot be imported.");
        }
        if (!os.versions().contains(spec.osVersion())) {
            throw new ApiException(INVALID_OS_VERSION, "The OS version `" + spec.osVersion() + "` of `"
                    + spec.osType() + "` cannot be imported; supported: " + os.versions() + ".");
        }
        if (spec.licenseType() != null && !LICENSE_TYPES.contains(spec.licenseType())) {
            throw new ApiException(INVALID_LICENSE_TYPE, "`LicenseType` must be one of " + LICENSE_TYPES + ".");
        }
        if (spec.bootMode() != null && !BOOT_MODES.contains(spec.bootMode())) {
            throw new ApiException(INVALID_BOOT_MODE, "`BootMode` must be one of " + BOOT_MODES + ".");
        }
        checkFamily(spec.family());
    }

    private Image draft(CallContext ctx, ImportSpec spec, String lineage) {
        String architecture = "arm_64".equals(spec.architecture()) ? "arm" : spec.architecture();
        String osName = spec.osType() + " " + spec.osVersion() + ("i386".equals(architecture) ? " 32bit" : " 64bit");
        return new Image(Ids.imageId(), ctx.region(), ctx.accountId(), false, spec.name(), spec.description(),
                ImageState.IMPORTING, Image.SOURCE_IMPORT, osName, spec.osType(), architecture,
                spec.licenseType() == null ? "TencentCloud" : spec.licenseType(),
                spec.bootMode() == null ? "Legacy BIOS" : spec.bootMode(), spec.family(), false, 0, null, null,
                lineage, clock.instant(), spec.tags());
    }

    public static void checkFamily(String family) {
        if (family != null && !FAMILY.matcher(family).matches()) {
            throw new ApiException(INVALID_IMAGE_FAMILY, "`ImageFamily` must be 1-60 letters, digits, '.', '_' or '-', "
                    + "starting with a letter.");
        }
    }

    private OutboundUrl allowedUrl(CallContext ctx, String text) {
        try {
            return urlPolicy.check(text).url();
        } catch (OutboundUrlRefused refused) {
            ApiException refusal = new ApiException(INVALID_URL, "`ImageUrl` is refused: " + refused.getMessage() + ".");
            images.auditRefusal(ctx, OutboundUrlPolicy.AUDIT_URL_REFUSED, refusal, "ImportImage: " + refused.getMessage());
            throw refusal;
        }
    }
}
