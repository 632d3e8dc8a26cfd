package io.imagehub.api;

import static io.imagehub.domain.ErrorCodes.INVALID_PARAMETER_VALUE;
import static io.imagehub.domain.ErrorCodes.INVALID_PARAMETER_VALUE_TOO_LARGE;
import static io.imagehub.domain.ErrorCodes.MISSING_PARAMETER;

import io.imagehub.api.model.FilterDto;
import io.imagehub.domain.ApiException;
import io.imagehub.domain.ErrorCodes;
import io.imagehub.domain.Ids;
import java.util.List;

/** Checks on request members shared by every action: presence, length, ID shape, list bounds. */
public final class Params {
    public static final int MAX_IDS = 100;
    public static final int MAX_FILTERS = 10;
    public static final int MAX_IMAGE_NAME = 60;
    public static final int MAX_IMAGE_DESCRIPTION = 256;

    private Params() {
    }

    public static <T> T require(T value, String name) {
        if (value == null || value instanceof String s && s.isEmpty()) {
            throw new ApiException(MISSING_PARAMETER, "The request is missing the required parameter `" + name + "`.");
        }
        return value;
    }

    public static <T> List<T> requireNonEmpty(List<T> values, String name) {
        if (values == null || values.isEmpty()) {
            throw new ApiException(MISSING_PARAMETER, "The request is missing the required parameter `" + name + "`.");
        }
        return values;
    }

    public static String maxLength(String value, int max, String name) {
        if (value != null && value.codePointCount(0, value.length()) > max) {
            throw new ApiException(INVALID_PARAMETER_VALUE_TOO_LARGE,
                    "The parameter `" + name + "` is longer than " + max + " characters.");
        }
        return value;
    }

    public static void maxCount(List<?> values, int max, String name) {
        if (values != null && values.size() > max) {
            throw new ApiException(ErrorCodes.INVALID_PARAMETER_VALUE_LIMIT_EXCEEDED,
                    "The parameter `" + name + "` has " + values.size() + " elements; at most " + max + " are allowed.");
        }
    }

    public static String imageId(String id) {
        if (id == null || !Ids.IMAGE_ID.matcher(id).matches()) {
            throw new ApiException(ErrorCodes.IMAGE_ID_MALFORMED,
                    "The image id `" + id + "` is malformed; expected img- followed by 8 lower-case letters or digits.");
        }
        return id;
    }

    public static List<String> imageIds(List<String> ids, String name) {
        requireNonEmpty(ids, name);
        maxCount(ids, MAX_IDS, name);
        ids.forEach(Params::imageId);
        return ids;
    }

    public static String instanceId(String id) {
        if (id == null || !Ids.INSTANCE_ID.matcher(id).matches()) {
            throw new ApiException(ErrorCodes.INSTANCE_ID_MALFORMED, "The instance id `" + id
                    + "` is malformed; expected ins- followed by 8 lower-case letters or digits.");
        }
        return id;
    }

    public static List<String> instanceIds(List<String> ids, String name) {
        requireNonEmpty(ids, name);
        maxCount(ids, MAX_IDS, name);
        ids.forEach(Params::instanceId);
        return ids;
    }

    /** Checks the shape of a Filters list: at most 10 filters, each with a name and 1..maxValues values. */
    public static List<FilterDto> filters(List<FilterDto> filters, int maxValues) {
        if (filters == null) {
            return List.of();
        }
        if (filters.size() > MAX_FILTERS) {
            throw new ApiException(ErrorCodes.INVALID_FILTER_VALUE_LIMIT_EXCEEDED,
                    "At most " + MAX_FILTERS + " filters are allowed.");
        }
        for (FilterDto f : filters) {
            if (f == null || f.name() == null || f.values() == null) {
                throw new ApiException(ErrorCodes.INVALID_FILTER, "Every filter needs a `Name` and `Values`.");
            }
            if (f.values().isEmpty() || f.values().size() > maxValues) {
                throw new ApiException(ErrorCodes.INVALID_FILTER_VALUE_LIMIT_EXCEEDED,
                        "The filter `" + f.name() + "` needs between 1 and " + maxValues + " values.");
            }
        }
        return filters;
    }

    public static String oneOf(String value, List<String> allowed, String name, String code) {
        if (value != null && !allowed.contains(value)) {
            throw new ApiException(code, "The parameter `" + name + "` must be one of " + allowed + ", not `" + value + "`.");
        }
        return value;
    }

    public static String oneOf(String value, List<String> allowed, String name) {
        return oneOf(value, allowed, name, INVALID_PARAMETER_VALUE);
    }
}
