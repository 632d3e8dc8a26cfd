package io.imagehub.api;

import static io.imagehub.domain.ErrorCodes.INVALID_FILE_NAME_PREFIX_LIST;
import static io.imagehub.domain.ErrorCodes.INVALID_PARAMETER_VALUE;

import io.imagehub.api.model.ApiMember;
import io.imagehub.api.model.ImageDto;
import io.imagehub.domain.ApiException;
import io.imagehub.domain.CallContext;
import io.imagehub.domain.DataPlaneService;
import io.imagehub.domain.DataPlaneService.ExportTask;
import io.imagehub.domain.ErrorCodes;
import io.imagehub.domain.Image;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** SyncImages and ExportImages: request shapes and parameter checks, mapped onto {@link DataPlaneService}. */
public final class DataPlaneActions {
    /** Tencent documents no number; a bound keeps one call's job payload small. */
    private static final int MAX_SYNC_REGIONS = 10;
    private static final int MAX_EXPORT_IMAGES = 10;
    private static final List<String> EXPORT_FORMATS = List.of("RAW", "QCOW2", "VHD", "VMDK");
    /** Prefixes become file names in the export target: no separators, no dot-dot. */
    private static final Pattern FILE_NAME_PREFIX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final DataPlaneService dataPlane;

    public DataPlaneActions(DataPlaneService dataPlane) {
        this.dataPlane = dataPlane;
    }

    public void register(ActionRegistry registry) {
        registry.register("SyncImages", SyncImagesRequest.class,
                "Copies an image to other regions (only the chunks a destination lacks move).", this::syncImages);
        registry.register("ExportImages", ExportImagesRequest.class,
                "Writes images' disk bytes (RAW) to an operator-configured export target.", this::exportImages);
        registry.register("ImagehubDescribeImageDownload", DescribeImageDownloadRequest.class,
                "imagehub: a signed URL (valid 15 minutes) to download one of your images, with its digest.",
                this::describeDownload);
    }

    public record SyncImagesRequest(
            @ApiMember(help = "The image to copy (one).", required = true, maxItems = 1) List<String> imageIds,
            @ApiMember(help = "Regions to copy to.", required = true, maxItems = MAX_SYNC_REGIONS)
            List<String> destinationRegions,
            @ApiMember(help = "Check the request only.") Boolean dryRun,
            @ApiMember(help = "Name of the copies (default: the source's).", maxLength = Params.MAX_IMAGE_NAME)
            String imageName,
            @ApiMember(help = "Return the copies' ids.") Boolean imageSetRequired,
            @ApiMember(help = "Not supported.") Boolean encrypt,
            @ApiMember(help = "Not supported.") String kmsKeyId) {
    }

    public record SyncImageDto(String imageId, String region) {
    }

    public record SyncImagesResponse(List<SyncImageDto> imageSet) {
    }

    Object syncImages(CallContext ctx, SyncImagesRequest r) {
        List<String> ids = Params.imageIds(r.imageIds(), "ImageIds");
        Params.maxCount(ids, 1, "ImageIds");
        Params.requireNonEmpty(r.destinationRegions(), "DestinationRegions");
        Params.maxCount(r.destinationRegions(), MAX_SYNC_REGIONS, "DestinationRegions");
        if (r.imageName() != null && r.imageName().isBlank()) {
            throw new ApiException(INVALID_PARAMETER_VALUE, "`ImageName` cannot be empty.");
        }
        Params.maxLength(r.imageName(), Params.MAX_IMAGE_NAME, "ImageName");
        if (Boolean.TRUE.equals(r.encrypt()) || r.kmsKeyId() != null) {
            throw new ApiException(ErrorCodes.ENCRYPTED_IMAGES_UNSUPPORTED,
                    "imagehub does not encrypt images; `Encrypt` and `KmsKeyId` are not supported.");
        }
        for (String region : r.destinationRegions()) {
            Params.require(region, "DestinationRegions");
        }
        List<Image> copies = dataPlane.startSync(ctx, ids.get(0), r.destinationRegions(), r.imageName(),
                Boolean.TRUE.equals(r.dryRun()));
        return new SyncImagesResponse(Boolean.TRUE.equals(r.imageSetRequired())
                ? copies.stream().map(c -> new SyncImageDto(c.imageId(), c.region())).toList()
                : List.of());
    }

    public record ExportImagesRequest(
            @ApiMember(help = "An export target the operator configured.", required = true) String bucketName,
            @ApiMember(help = "The images to export.", required = true, maxItems = MAX_EXPORT_IMAGES)
            List<String> imageIds,
            @ApiMember(help = "Only RAW.", allowed = {"RAW", "QCOW2", "VHD", "VMDK"}) String exportFormat,
            @ApiMember(help = "One file name prefix per image.", maxItems = MAX_EXPORT_IMAGES)
            List<String> fileNamePrefixList,
            @ApiMember(help = "Accepted and ignored.") Boolean onlyExportRootDisk,
            @ApiMember(help = "Check the request only.") Boolean dryRun,
            @ApiMember(help = "Accepted and ignored.") String roleName) {
    }

    public record ExportImagesResponse(Long taskId, List<String> cosPaths) {
    }

    public record DescribeImageDownloadRequest(
            @ApiMember(help = "The image (img-xxxxxxxx); yours and NORMAL.", required = true) String imageId) {
    }

    /** The download URL is a path on this endpoint; GET it for the bytes. */
    public record DescribeImageDownloadResponse(String downloadUrl, String expiresAt, String imagehubSha256,
                                                Long imagehubSizeBytes) {
    }

    Object describeDownload(CallContext ctx, DescribeImageDownloadRequest r) {
        Params.imageId(Params.require(r.imageId(), "ImageId"));
        DataPlaneService.Download download = dataPlane.startDownload(ctx, r.imageId());
        return new DescribeImageDownloadResponse(download.grant().path(),
                ImageDto.time(download.grant().expiresAt()), "sha256:" + download.sha256(), download.sizeBytes());
    }

    /** Exports in the image's stored format copy its bytes; other formats are converted (jobs/ExportJob). */
    Object exportImages(CallContext ctx, ExportImagesRequest r) {
        Params.require(r.bucketName(), "BucketName");
        List<String> ids = Params.imageIds(r.imageIds(), "ImageIds");
        Params.maxCount(ids, MAX_EXPORT_IMAGES, "ImageIds");
        String format = r.exportFormat() == null ? "RAW" : r.exportFormat().toUpperCase(Locale.ROOT);
        Params.oneOf(format, EXPORT_FORMATS, "ExportFormat");
        if (r.fileNamePrefixList() != null) {
            if (r.fileNamePrefixList().size() != ids.size()) {
                throw new ApiException(INVALID_FILE_NAME_PREFIX_LIST, "`FileNamePrefixList` must have one prefix "
                        + "per image: " + ids.size() + " expected, " + r.fileNamePrefixList().size() + " given.");
            }
            for (String prefix : r.fileNamePrefixList()) {
                if (prefix == null || !FILE_NAME_PREFIX.matcher(prefix).matches()) {
                    throw new ApiException(INVALID_FILE_NAME_PREFIX_LIST, "A file name prefix must be 1-64 letters, "
                            + "digits, '.', '_' or '-', starting with a letter or digit.");
                }
            }
        }
        if (ids.size() != ids.stream().distinct().count()) {
            throw new ApiException(ErrorCodes.INVALID_PARAMETER_VALUE, "`ImageIds` names an image twice.");
        }
        boolean dryRun = Boolean.TRUE.equals(r.dryRun());
        ExportTask task = dataPlane.startExport(ctx, r.bucketName(), ids, r.fileNamePrefixList(),
                format.toLowerCase(Locale.ROOT), dryRun);
        return dryRun ? new ExportImagesResponse(null, List.of()) // spec 1.11: no resource ids on a dry run
                : new ExportImagesResponse(task.taskId(), task.paths());
    }
}
