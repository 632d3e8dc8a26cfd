package io.imagehub.api.model;

import java.util.List;

public record TagSpecificationDto(
        @ApiMember(help = "The kind of resource tagged: image.", required = true, allowed = "image") String resourceType,
        @ApiMember(help = "The tags.", maxItems = 50) List<TagDto> tags) {
}
