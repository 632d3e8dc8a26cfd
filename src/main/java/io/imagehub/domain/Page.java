package io.imagehub.domain;

import java.util.List;

/** One page of results and the number of matches before paging. */
public record Page<T>(List<T> items, long totalCount) {
}
