package io.imagehub.api;

import static io.imagehub.domain.ErrorCodes.IDS_AND_FILTERS;
import static io.imagehub.domain.ErrorCodes.INVALID_FILTER;
import static io.imagehub.domain.ErrorCodes.INVALID_FILTER_VALUE_LIMIT_EXCEEDED;
import static io.imagehub.domain.ErrorCodes.INVALID_PARAMETER_VALUE;
import static io.imagehub.domain.ErrorCodes.INVALID_PARAMETER_VALUE_LIMIT;

import io.imagehub.api.model.FilterDto;
import io.imagehub.api.model.ImageDto;
import io.imagehub.api.model.TagDto;
import io.imagehub.api.model.TagSpecificationDto;
import io.imagehub.domain.ApiException;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The image actions: request shapes, parameter checks, and the mapping onto {@link ImageService}. */
public final class ImageActions {
    private static final int MAX_FILTERS = 10;
    private static final int MAX_FILTER_VALUES = 5;
    private static final int MAX_LIMIT = 100;

    private final ImageService images;
    private final ImportService imports;
    private final ListingCache listingCache;

    public ImageActions(ImageService images, ImportService imports, long listingCacheBytes) {
        this.images = images;
        this.imports = imports;
        this.listingCache = new ListingCache(listingCacheBytes);
    }

    public void register(ActionRegistry registry) {
        registry.register("DescribeImages", DescribeImagesRequest.class, this::describeImages);
        registry.register("ImportImage", ImportImageRequest.class, this::importImage);
        registry.register("DescribeImportImageOs", EmptyRequest.class, (ctx, r) -> importImageOs());
        registry.register("ModifyImageAttribute", ModifyImageAttributeRequest.class, this::modifyImageAttribute);
        registry.register("DeleteImages", DeleteImagesRequest.class, this::deleteImages);
        registry.register("DescribeImageQuota", EmptyRequest.class,
                (ctx, r) -> new ImageQuotaResponse((long) images.imageQuota()));
        registry.register("ModifyImageSharePermission", ModifyImageSharePermissionRequest.class, this::modifyShare);
        registry.register("DescribeImageSharePermission", DescribeImageSharePermissionRequest.class, this::describeShares);
    }

    public record EmptyRequest() {
    }

    public record DescribeImagesRequest(List<String> imageIds, List<FilterDto> filters, Long offset, Long limit,
                                        String instanceType) {
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
            return cached;
        }
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

    public record ImportImageRequest(String architecture, String osType, String osVersion, String imageUrl,
                                     String imageName, String imageDescription, Boolean dryRun, Boolean force,
                                     List<TagSpecificationDto> tagSpecification, String licenseType, String bootMode,
                                     String imageFamily, List<Map<String, Object>> importImageDataDiskList) {
    }

    public record ImageIdResponse(String imageId) {
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
        Params.require(r.imageUrl(), "ImageUrl");
        Params.require(r.imageName(), "ImageName");
        Params.maxLength(r.imageName(), 60, "ImageName");
        Params.maxLength(r.imageDescription(), 256, "ImageDescription");
        if (r.importImageDataDiskList() != null && !r.importImageDataDiskList().isEmpty()) {
            throw new ApiException("UnsupportedOperation", "Importing data disks is not supported yet.");
        }
        Map<String, String> tags = tags(r.tagSpecification());
        boolean dryRun = Boolean.TRUE.equals(r.dryRun());
        Image image = imports.start(ctx, new ImportService.ImportSpec(r.architecture(), r.osType(), r.osVersion(),
                r.imageUrl(), r.imageName(), r.imageDescription() == null ? "" : r.imageDescription(),
                Boolean.TRUE.equals(r.force()), r.licenseType(), r.bootMode(), r.imageFamily(), tags), dryRun);
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

    public record ModifyImageAttributeRequest(String imageId, String imageName, String imageDescription,
                                              String imageFamily, Boolean imageDeprecated) {
    }

    Object modifyImageAttribute(CallContext ctx, ModifyImageAttributeRequest r) {
        Params.imageId(Params.require(r.imageId(), "ImageId"));
        if (r.imageName() == null && r.imageDescription() == null && r.imageFamily() == null
                && r.imageDeprecated() == null) {
            throw new ApiException("MissingParameter",
                    "Give at least one of `ImageName`, `ImageDescription`, `ImageFamily`, `ImageDeprecated`.");
        }
        if (r.imageName() != null && r.imageName().isBlank()) {
            throw new ApiException(INVALID_PARAMETER_VALUE, "`ImageName` cannot be empty.");
        }
        Params.maxLength(r.imageName(), 60, "ImageName");
        Params.maxLength(r.imageDescription(), 256, "ImageDescription");
        ImportService.checkFamily(r.imageFamily());
        images.modify(ctx, r.imageId(), r.imageName(), r.imageDescription(), r.imageFamily(), r.imageDeprecated());
        return null;
    }

    public record DeleteImagesRequest(List<String> imageIds, Boolean deleteBindedSnap, Boolean dryRun) {
    }

    Object deleteImages(CallContext ctx, DeleteImagesRequest r) {
        images.delete(ctx, Params.imageIds(r.imageIds(), "ImageIds"), Boolean.TRUE.equals(r.dryRun()));
        return null;
    }

    public record ImageQuotaResponse(Long imageNumQuota) {
    }

    public record ModifyImageSharePermissionRequest(String imageId, List<String> accountIds, String permission) {
    }

    Object modifyShare(CallContext ctx, ModifyImageSharePermissionRequest r) {
        Params.imageId(Params.require(r.imageId(), "ImageId"));
        Params.requireNonEmpty(r.accountIds(), "AccountIds");
        Params.maxCount(r.accountIds(), Params.MAX_IDS, "AccountIds");
        for (String account : r.accountIds()) {
            if (account == null || !Ids.ACCOUNT_ID.matcher(account).matches()) {
                throw new ApiException("InvalidAccountId.NotFound", "The account `" + account + "` does not exist.");
            }
        }
        Params.require(r.permission(), "Permission");
        Params.oneOf(r.permission(), List.of("SHARE", "CANCEL"), "Permission");
        images.modifySharePermission(ctx, r.imageId(), r.accountIds(), "SHARE".equals(r.permission()));
        return null;
    }

    public record DescribeImageSharePermissionRequest(String imageId) {
    }

    public record SharePermissionDto(String createdTime, String accountId) {
    }

    public record DescribeImageSharePermissionResponse(List<SharePermissionDto> sharePermissionSet) {
    }

    Object describeShares(CallContext ctx, DescribeImageSharePermissionRequest r) {
        Params.imageId(Params.require(r.imageId(), "ImageId"));
        List<Share> shares = images.shares(ctx, r.imageId());
        return new DescribeImageSharePermissionResponse(shares.stream()
                .map(s -> new SharePermissionDto(ImageDto.time(s.createdAt()), s.accountId())).toList());
    }
}
