package io.imagehub.api.model;

import java.util.List;

public record TagSpecificationDto(String resourceType, List<TagDto> tags) {
}
