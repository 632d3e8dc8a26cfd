package io.imagehub.api;

import static io.imagehub.domain.ErrorCodes.IDS_AND_FILTERS;
import static io.imagehub.domain.ErrorCodes.INVALID_FILTER;
import static io.imagehub.domain.ErrorCodes.INVALID_FILTER_VALUE_LIMIT_EXCEEDED;
import static io.imagehub.domain.ErrorCodes.INVALID_PARAMETER_COMBINATION;
import static io.imagehub.domain.ErrorCodes.INVALID_PARAMETER_VALUE;
import static io.imagehub.domain.ErrorCodes.INVALID_PARAMETER_VALUE_LIMIT;

import io.imagehub.api.model.ApiMember;
import io.imagehub.api.model.FilterDto;
import io.imagehub.api.model.ImageDto;
import io.imagehub.api.model.TagDto;
import io.imagehub.api.model.TagSpecificationDto;
import io.imagehub.domain.ApiException;
import io.imagehub.domain.ErrorCodes;
import io.imagehub.domain.CallContext;
import io.imagehub.domain.Image;
import io.imagehub.domain.ImageQuery;
import io.imagehub.domain.ImageService;
import io.imagehub.domain.Ids;
import io.imagehub.domain.ImportOsCatalogue;
import io.imagehub.domain.ImageView;
import io.imagehub.domain.ImportService;
import io.imagehub.domain.ListingVersion;
import io.imagehub.domain.Page;
import io.imagehub.domain.Share;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The image actions: request shapes, parameter checks, and the mapping onto {@link ImageService}. */
public final class ImageActions {
    private static final int MAX_FILTERS = 10;
    private static final int MAX_FILTER_VALUES = 5;
    private static final int MAX_LIMIT = 100;

    private final ImageService images;
    private final ImportService imports;
    private final ListingCache listingCache;
    private final Counter cacheHits;
    private final Counter cacheMisses;

    /**
     * {@code meters} gets {@code imagehub_listing_cache_requests_total{result}}: hits and misses of the cache; null
     * only for {@link ActionRegistry#catalogue()}, whose actions are described, never called.
     */
    public ImageActions(ImageService images, ImportService imports, long listingCacheBytes, MeterRegistry meters) {
        this.images = images;
        this.imports = imports;
        this.listingCache = new ListingCache(listingCacheBytes);
        this.cacheHits = meters == null ? null : cacheCounter(meters, "hit");
        this.cacheMisses = meters == null ? null : cacheCounter(meters, "miss");
    }

    private static Counter cacheCounter(MeterRegistry meters, String result) {
        return Counter.builder("imagehub.listing.cache.requests")
                .description("DescribeImages answers looked up in the listing cache, by result (hit or miss)")
                .tag("result", result).register(meters);
    }

    public void register(ActionRegistry registry) {
        registry.register("DescribeImages", DescribeImagesRequest.class,
                "Lists the images the caller may see: its own, those shared with it, and the public ones.",
                this::describeImages);
        registry.register("ImportImage", ImportImageRequest.class,
                "Imports a disk file as a custom image: from a URL (ImageUrl), or uploaded to the signed URL the "
                        + "answer gives (ImagehubUploadSizeBytes).",
                this::importImage);
        registry.register("DescribeImportImageOs", EmptyRequest.class,
                "Lists the operating systems and versions ImportImage accepts.", (ctx, r) -> importImageOs());
        registry.register("ModifyImageAttribute", ModifyImageAttributeRequest.class,
                "Renames an image or changes its description, family or deprecation.", this::modifyImageAttribute);
        registry.register("DeleteImages", DeleteImagesRequest.class,
                "Deletes custom images (all or none; an image must be shared with nobody).", this::deleteImages);
        registry.register("DescribeImageQuota", EmptyRequest.class,
                "Says how many custom images an account may hold in a region.",
                (ctx, r) -> new ImageQuotaResponse((long) images.imageQuota()));
        registry.register("ModifyImageSharePermission", ModifyImageSharePermissionRequest.class,
                "Shares an image with accounts (SHARE) or cancels their shares (CANCEL).", this::modifyShare);
        registry.register("DescribeImageSharePermission", DescribeImageSharePermissionRequest.class,
                "Lists the accounts an image is shared with.", this::describeShares);
        registry.register("ImagehubDeclineSharedImage", SharedImageRequest.class,
                "Declines an image shared with the caller: hidden from its listings, not launchable by it.",
                (ctx, r) -> decline(ctx, r, true));
        registry.register("ImagehubAcceptSharedImage", SharedImageRequest.class,
                "Accepts again an image the caller declined.", (ctx, r) -> decline(ctx, r, false));
    }

    public record EmptyRequest() {
    }

    public record DescribeImagesRequest(
            @ApiMember(help = "Image ids (img-xxxxxxxx); not together with Filters.", maxItems = Params.MAX_IDS)
            List<String> imageIds,
            @ApiMember(help = "Filters: image-id, image-type (PRIVATE_IMAGE, PUBLIC_IMAGE, SHARED_IMAGE), image-name, "
                    + "platform, tag-key, tag-value, tag:<key>.", maxItems = MAX_FILTERS)
            List<FilterDto> filters,
            @ApiMember(help = "Offset of the first image returned.", min = 0) Long offset,
            @ApiMember(help = "Images per page (default 20).", min = 0, max = MAX_LIMIT) Long limit,
            @ApiMember(help = "Accepted and ignored.") String instanceType) {
    }

    public record DescribeImagesResponse(List<ImageDto> imageSet, long totalCount) {
    }

    /**
     * The version is read before the listing is built, so a cached answer is never older than the version it is
     * filed under: a change committed in between bumps the version, and the next call builds the listing again.
     */
    Object describeImages(CallContext ctx, DescribeImagesRequest r) {
        if (!listingCache.enabled()) {
            return listImages(ctx, r);
        }
        ListingVersion version = images.listingVersion(ctx.accountId());
        ListingCache.Key key = ListingCache.key(ctx, r);
        EncodedMembers cached = listingCache.get(key, version);
        if (cached != null) {
            cacheHits.increment();
            return cached;
        }
        cacheMisses.increment();
        EncodedMembers answer = EncodedMembers.of(listImages(ctx, r));
        listingCache.put(key, version, answer);
        return answer;
    }

    private DescribeImagesResponse listImages(CallContext ctx, DescribeImagesRequest r) {
        if (r.imageIds() != null && r.filters() != null) {
            throw new ApiException(IDS_AND_FILTERS, "`ImageIds` and `Filters` cannot be given together.");
        }
        long offset = r.offset() == null ? 0 : r.offset();
        long limit = r.limit() == null ? 20 : r.limit();
        if (offset < 0 || limit < 0 || limit > MAX_LIMIT || offset > Integer.MAX_VALUE) {
            throw new ApiException(INVALID_PARAMETER_VALUE_LIMIT,
                    "`Offset` must be >= 0 and `Limit` between 0 and " + MAX_LIMIT + ".");
        }
        List<String> ids = new ArrayList<>();
        if (r.imageIds() != null) {
            Params.maxCount(r.imageIds(), Params.MAX_IDS, "ImageIds");
            r.imageIds().forEach(id -> ids.add(Params.imageId(id)));
        }
        Set<String> kinds = new HashSet<>(ImageQuery.ALL_KINDS);
        List<String> names = new ArrayList<>();
        List<String> platforms = new ArrayList<>();
        List<ImageQuery.TagFilter> tags = new ArrayList<>();
        List<FilterDto> filters = r.filters() == null ? List.of() : r.filters();
        if (filters.size() > MAX_FILTERS) {
            throw new ApiException(INVALID_FILTER_VALUE_LIMIT_EXCEEDED, "At most " + MAX_FILTERS + " filters are allowed.");
        }
        for (FilterDto f : filters) {
            if (f == null || f.name() == null || f.values() == null) {
                throw new ApiException(INVALID_FILTER, "Every filter needs a `Name` and `Values`.");
            }
            if (f.values().size() > MAX_FILTER_VALUES || f.values().isEmpty()) {
                throw new ApiException(INVALID_FILTER_VALUE_LIMIT_EXCEEDED,
                        "The filter `" + f.name() + "` needs between 1 and " + MAX_FILTER_VALUES + " values.");
            }
            switch (f.name()) {
                case "image-id" -> {
                    List<String> values = f.values().stream().map(Params::imageId).toList();
                    if (!ids.isEmpty()) {
                        ids.retainAll(values); // two image-id filters: both must hold
                        if (ids.isEmpty()) {
                            return new DescribeImagesResponse(List.of(), 0);
                        }
                    } else {
                        ids.addAll(values);
                    }
                }
                case "image-type" -> {
                    for (String v : f.values()) {
                        Params.oneOf(v, List.copyOf(ImageQuery.ALL_KINDS), "Filters.image-type", INVALID_FILTER);
                    }
                    kinds.retainAll(f.values());
                }
                case "image-name" -> names.addAll(f.values());
                case "platform" -> platforms.addAll(f.values());
                case "tag-key" -> tags.add(new ImageQuery.TagFilter(f.values(), List.of()));
                case "tag-value" -> tags.add(new ImageQuery.TagFilter(List.of(), f.values()));
                default -> {
                    if (f.name().startsWith("tag:") && f.name().length() > 4) {
                        tags.add(new ImageQuery.TagFilter(List.of(f.name().substring(4)), f.values()));
                    } else {
                        throw new ApiException(INVALID_FILTER, "The filter `" + f.name() + "` is not supported.");
                    }
                }
            }
        }
        if (limit == 0) {
            limit = 20;
        }
        Page<ImageView> page = images.describe(new ImageQuery(ctx.accountId(), ctx.region(), kinds, ids, names,
                platforms, tags, (int) offset, (int) limit));
        return new DescribeImagesResponse(page.items().stream().map(ImageDto::of).toList(), page.totalCount());
    }

    public record ImportImageRequest(
            @ApiMember(help = "Architecture of the image.", required = true, allowed = {"x86_64", "i386", "arm_64"})
            String architecture,
            @ApiMember(help = "Operating system, as DescribeImportImageOs lists it.", required = true) String osType,
            @ApiMember(help = "Operating system version, as DescribeImportImageOs lists it.", required = true)
            String osVersion,
            @ApiMember(help = "http(s) URL of the disk file, under a location the operator allows; "
                    + "or give ImagehubUploadSizeBytes instead.") String imageUrl,
            @ApiMember(help = "Name of the new image, unique among the caller's images in the region.", required = true,
                    maxLength = Params.MAX_IMAGE_NAME) String imageName,
            @ApiMember(help = "Description.", maxLength = Params.MAX_IMAGE_DESCRIPTION) String imageDescription,
            @ApiMember(help = "Check the request only.") Boolean dryRun,
            @ApiMember(help = "Import an ISO file, or skip the OS check.") Boolean force,
            @ApiMember(help = "Tags of the new image (ResourceType image).") List<TagSpecificationDto> tagSpecification,
            @ApiMember(help = "License type.", allowed = {"TencentCloud", "BYOL"}) String licenseType,
            @ApiMember(help = "Boot mode.", allowed = {"Legacy BIOS", "UEFI"}) String bootMode,
            @ApiMember(help = "Image family.", maxLength = Params.MAX_IMAGE_NAME) String imageFamily,
            @ApiMember(help = "Not supported yet.") List<Map<String, Object>> importImageDataDiskList,
            @ApiMember(help = "imagehub: upload the file instead of fetching ImageUrl; its exact size in bytes. The "
                    + "answer's ImagehubUploadUrl takes the bytes (PUT).", min = 1) Long imagehubUploadSizeBytes) {
    }

    public record ImageIdResponse(String imageId) {
    }

    /** ImportImage of an upload: the image, and the signed URL (a path on this endpoint) its bytes go to. */
    public record ImportUploadResponse(String imageId, String imagehubUploadUrl, String imagehubUploadExpiresAt) {
    }

    public record ImageOsListDto(List<String> windows, List<String> linux) {
    }

    public record OsVersionDto(String osName, List<String> osVersions, List<String> architecture) {
    }

    public record DescribeImportImageOsResponse(ImageOsListDto importImageOsListSupported,
                                                List<OsVersionDto> importImageOsVersionSet) {
    }

    static DescribeImportImageOsResponse importImageOs() {
        List<ImportOsCatalogue.OsEntry> entries = ImportOsCatalogue.ENTRIES;
        return new DescribeImportImageOsResponse(
                new ImageOsListDto(entries.stream().filter(ImportOsCatalogue.OsEntry::windows).map(ImportOsCatalogue.OsEntry::osName).toList(),
                        entries.stream().filter(e -> !e.windows()).map(ImportOsCatalogue.OsEntry::osName).toList()),
                entries.stream().map(e -> new OsVersionDto(e.osName(), e.versions(), e.architectures())).toList());
    }

    Object importImage(CallContext ctx, ImportImageRequest r) {
        Params.require(r.architecture(), "Architecture");
        Params.require(r.osType(), "OsType");
        Params.require(r.osVersion(), "OsVersion");
        Params.require(r.imageName(), "ImageName");
        Params.maxLength(r.imageName(), Params.MAX_IMAGE_NAME, "ImageName");
        Params.maxLength(r.imageDescription(), Params.MAX_IMAGE_DESCRIPTION, "ImageDescription");
        if (r.importImageDataDiskList() != null && !r.importImageDataDiskList().isEmpty()) {
            throw new ApiException(ErrorCodes.UNSUPPORTED_OPERATION, "Importing data disks is not supported yet.");
        }
        if (r.imageUrl() != null && r.imagehubUploadSizeBytes() != null) {
            throw new ApiException("InvalidParameterConflict",
                    "`ImageUrl` and `ImagehubUploadSizeBytes` cannot be given together.");
        }
        if (r.imagehubUploadSizeBytes() == null) {
            Params.require(r.imageUrl(), "ImageUrl");
        }
        Map<String, String> tags = tags(r.tagSpecification());
        boolean dryRun = Boolean.TRUE.equals(r.dryRun());
        ImportService.ImportSpec spec = new ImportService.ImportSpec(r.architecture(), r.osType(), r.osVersion(),
                r.imageUrl(), r.imageName(), r.imageDescription() == null ? "" : r.imageDescription(),
                Boolean.TRUE.equals(r.force()), r.licenseType(), r.bootMode(), r.imageFamily(), tags);
        if (r.imagehubUploadSizeBytes() != null) {
            ImportService.StartedUpload upload = imports.startUpload(ctx, spec, r.imagehubUploadSizeBytes(), dryRun);
            return dryRun ? new ImageIdResponse(null) : new ImportUploadResponse(upload.image().imageId(),
                    upload.grant().path(), ImageDto.time(upload.grant().expiresAt()));
        }
        Image image = imports.start(ctx, spec, dryRun);
        return dryRun ? new ImageIdResponse(null) : new ImageIdResponse(image.imageId());
    }

    static Map<String, String> tags(List<TagSpecificationDto> specs) {
        Map<String, String> tags = new LinkedHashMap<>();
        if (specs == null) {
            return tags;
        }
        for (TagSpecificationDto spec : specs) {
            if (spec == null || !"image".equals(spec.resourceType())) {
                throw new ApiException(INVALID_PARAMETER_VALUE, "`TagSpecification.ResourceType` must be `image`.");
            }
            for (TagDto tag : spec.tags() == null ? List.<TagDto>of() : spec.tags()) {
                if (tag == null || tag.key() == null || tag.key().isEmpty() || tag.value() == null) {
                    throw new ApiException(INVALID_PARAMETER_VALUE, "Every tag needs a `Key` and a `Value`.");
                }
                Params.maxLength(tag.key(), 127, "Tags.Key");
                Params.maxLength(tag.value(), 255, "Tags.Value");
                tags.put(tag.key(), tag.value());
            }
        }
        if (tags.size() > 50) {
            throw new ApiException(INVALID_PARAMETER_VALUE, "An image can carry at most 50 tags.");
        }
        return tags;
    }

    public record ModifyImageAttributeRequest(
            @ApiMember(help = "The image (img-xxxxxxxx).", required = true) String imageId,
            @ApiMember(help = "New name.", maxLength = Params.MAX_IMAGE_NAME) String imageName,
            @ApiMember(help = "New description.", maxLength = Params.MAX_IMAGE_DESCRIPTION) String imageDescription,
            @ApiMember(help = "New image family.", maxLength = Params.MAX_IMAGE_NAME) String imageFamily,
            @ApiMember(help = "Mark the image deprecated (True) or not (False).") Boolean imageDeprecated) {
    }

    Object modifyImageAttribute(CallContext ctx, ModifyImageAttributeRequest r) {
        Params.imageId(Params.require(r.imageId(), "ImageId"));
        if (r.imageName() == null && r.imageDescription() == null && r.imageFamily() == null
                && r.imageDeprecated() == null) {
            throw new ApiException(ErrorCodes.MISSING_PARAMETER,
                    "Give at least one of `ImageName`, `ImageDescription`, `ImageFamily`, `ImageDeprecated`.");
        }
        if (r.imageName() != null && r.imageName().isBlank()) {
            throw new ApiException(INVALID_PARAMETER_VALUE, "`ImageName` cannot be empty.");
        }
        Params.maxLength(r.imageName(), Params.MAX_IMAGE_NAME, "ImageName");
        Params.maxLength(r.imageDescription(), Params.MAX_IMAGE_DESCRIPTION, "ImageDescription");
        ImportService.checkFamily(r.imageFamily());
        images.modify(ctx, r.imageId(), r.imageName(), r.imageDescription(), r.imageFamily(), r.imageDeprecated());
        return null;
    }

    public record DeleteImagesRequest(
            @ApiMember(help = "The images to delete.", required = true, maxItems = Params.MAX_IDS) List<String> imageIds,
            @ApiMember(help = "Accepted and ignored (there are no snapshots).") Boolean deleteBindedSnap,
            @ApiMember(help = "Check the request only.") Boolean dryRun) {
    }

    Object deleteImages(CallContext ctx, DeleteImagesRequest r) {
        images.delete(ctx, Params.imageIds(r.imageIds(), "ImageIds"), Boolean.TRUE.equals(r.dryRun()));
        return null;
    }

    public record ImageQuotaResponse(Long imageNumQuota) {
    }

    public record ModifyImageSharePermissionRequest(
            @ApiMember(help = "The image to share (img-xxxxxxxx).", required = true) String imageId,
            @ApiMember(help = "The accounts (12-digit ids).", required = true, maxItems = Params.MAX_IDS)
            List<String> accountIds,
            @ApiMember(help = "SHARE or CANCEL.", required = true, allowed = {"SHARE", "CANCEL"}) String permission,
            @ApiMember(help = "Extension, SHARE only: when the share ends by itself (ISO 8601 UTC, e.g. "
                    + "2026-12-31T00:00:00Z); absent: until cancelled.") String imagehubExpireTime) {
    }

    Object modifyShare(CallContext ctx, ModifyImageSharePermissionRequest r) {
        Params.imageId(Params.require(r.imageId(), "ImageId"));
        Params.requireNonEmpty(r.accountIds(), "AccountIds");
        Params.maxCount(r.accountIds(), Params.MAX_IDS, "AccountIds");
        for (String account : r.accountIds()) {
            if (account == null || !Ids.ACCOUNT_ID.matcher(account).matches()) {
                throw new ApiException(ErrorCodes.ACCOUNT_NOT_FOUND, "The account `" + account + "` does not exist.");
            }
        }
        Params.require(r.permission(), "Permission");
        Params.oneOf(r.permission(), List.of("SHARE", "CANCEL"), "Permission");
        boolean share = "SHARE".equals(r.permission());
        if (!share && r.imagehubExpireTime() != null) {
            throw new ApiException(INVALID_PARAMETER_COMBINATION, "`ImagehubExpireTime` goes with `Permission` SHARE only.");
        }
        images.modifySharePermission(ctx, r.imageId(), r.accountIds(), share, expireTime(r.imagehubExpireTime()));
        return null;
    }

    /** ISO 8601 with a zone (e.g. 2026-12-31T00:00:00Z), kept to the microsecond, which both databases store. */
    private static Instant expireTime(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value).truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            throw new ApiException(INVALID_PARAMETER_VALUE, "`ImagehubExpireTime` `" + value
                    + "` is not an ISO 8601 time in UTC such as 2026-12-31T00:00:00Z.");
        }
    }

    public record DescribeImageSharePermissionRequest(
            @ApiMember(help = "The image (img-xxxxxxxx).", required = true) String imageId) {
    }

    /** {@code imagehubExpireTime}: when the share ends by itself (extension member; absent: until cancelled). */
    public record SharePermissionDto(String createdTime, String accountId, String imagehubExpireTime) {
    }

    /** {@code ImagehubShareLimit} (an extension member): how many accounts the image may be shared with in all. */
    public record DescribeImageSharePermissionResponse(List<SharePermissionDto> sharePermissionSet,
                                                       Integer imagehubShareLimit) {
    }

    Object describeShares(CallContext ctx, DescribeImageSharePermissionRequest r) {
        Params.imageId(Params.require(r.imageId(), "ImageId"));
        List<Share> shares = images.shares(ctx, r.imageId());
        return new DescribeImageSharePermissionResponse(shares.stream()
                .map(s -> new SharePermissionDto(ImageDto.time(s.createdAt()), s.accountId(),
                        s.expiresAt() == null ? null : s.expiresAt().toString())).toList(),
                images.shareLimit());
    }

    public record SharedImageRequest(
            @ApiMember(help = "The shared image (img-xxxxxxxx).", required = true) String imageId) {
    }

    Object decline(CallContext ctx, SharedImageRequest r, boolean declined) {
        images.setDeclined(ctx, Params.imageId(Params.require(r.imageId(), "ImageId")), declined);
        return null;
    }
}
