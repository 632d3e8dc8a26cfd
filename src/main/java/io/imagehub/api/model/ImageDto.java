package io.imagehub.api.model;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.imagehub.domain.ImageQuery;
import io.imagehub.domain.ImageView;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Tencent's Image (spec 4.1), plus imagehub extension members the SDK ignores (see docs/adr/0003):
 * {@code ImagehubSha256} and {@code ImagehubSizeBytes} let a recipient verify what it launches;
 * {@code ImagehubLineage} (docs/adr/0006) tells the owner, and only the owner, where the image came from.
 * {@code ImagehubDiskFormat} and {@code ImagehubVirtualSizeBytes} (every viewer) say what disk inspection found;
 * {@code ImagehubFailureReason} tells the owner, and only the owner, why its import failed. {@code ImageSize} is the
 * virtual size in GiB rounded up, as Tencent reports it.
 */
public record ImageDto(String imageId, String osName, String imageType, String createdTime, String imageName,
                       String imageDescription, Long imageSize, String architecture, String imageState,
                       String platform, String imageCreator, String imageSource, Long syncPercent,
                       Boolean isSupportCloudinit, List<Object> snapshotSet, List<TagDto> tags, String licenseType,
                       String imageFamily, Boolean imageDeprecated, String imagehubSha256, Long imagehubSizeBytes,
                       @JsonRawValue String imagehubLineage, String imagehubDiskFormat,
                       Long imagehubVirtualSizeBytes, String imagehubFailureReason) {

    private static final long GIB = 1L << 30;
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    public static ImageDto of(ImageView view) {
        var i = view.image();
        boolean owner = ImageQuery.PRIVATE.equals(view.imageType());
        boolean inspected = i.sha256() != null && i.diskFormat() != null;
        return new ImageDto(i.imageId(), i.osName(), view.imageType(), time(i.createdAt()), i.name(), i.description(),
                (i.diskBytes() + GIB - 1) / GIB, i.architecture(), i.state().name(), i.platform(),
                i.isPublic() ? "tencent" : i.ownerId(), i.source(),
                i.syncPercent() == null ? null : i.syncPercent().longValue(), true, List.of(),
                i.tags().entrySet().stream().map(e -> new TagDto(e.getKey(), e.getValue())).toList(),
                i.licenseType(), i.family() == null ? "" : i.family(), i.deprecated(),
                i.sha256() == null ? null : "sha256:" + i.sha256(), i.sha256() == null ? null : i.sizeBytes(),
                owner ? i.origin() : null, inspected ? i.diskFormat() : null,
                inspected ? i.virtualSizeBytes() : null, owner ? i.failureReason() : null);
    }

    public static String time(Instant instant) {
        return ISO.format(instant);
    }
}
