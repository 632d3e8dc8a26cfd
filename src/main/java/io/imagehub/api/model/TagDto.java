package io.imagehub.api.model;

public record TagDto(String key, String value) {
}
