package io.imagehub.domain;

import java.util.List;
import java.util.Set;

/**
 * A DescribeImages search, already validated: the images visible to {@code callerId} in {@code region},
 * narrowed by the filters (values within one filter are ORed, filters are ANDed), one page of them.
 *
 * @param kinds       which of PUBLIC_IMAGE, PRIVATE_IMAGE, SHARED_IMAGE to include
 * @param imageIds    exact IDs, empty for any
 * @param nameLike    case-insensitive substrings of the name, empty for any
 * @param platformLike case-insensitive substrings of the platform, empty for any
 * @param tagFilters  tag conditions, all of which must hold
 */
public record ImageQuery(String callerId, String region, Set<String> kinds, List<String> imageIds,
                         List<String> nameLike, List<String> platformLike, List<TagFilter> tagFilters,
                         int offset, int limit) {

    /** A tag condition: the image has a tag whose key is one of {@code keys} (empty: any key) and whose value is one of {@code values} (empty: any value). */
    public record TagFilter(List<String> keys, List<String> values) {
    }

    public static final String PUBLIC = "PUBLIC_IMAGE";
    public static final String PRIVATE = "PRIVATE_IMAGE";
    public static final String SHARED = "SHARED_IMAGE";
    public static final Set<String> ALL_KINDS = Set.of(PUBLIC, PRIVATE, SHARED);
}
