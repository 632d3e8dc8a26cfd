package io.imagehub.api.model;

import java.util.List;

public record FilterDto(String name, List<String> values) {
}
