package io.imagehub.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The API's JSON: PascalCase member names on the wire from camelCase record components, nulls omitted.
 * Two readers: {@link #STRICT} for JSON bodies (unknown members and wrong types are refused, as Tencent does)
 * and {@link #FLATTENED} for GET/form parameters, whose values all arrive as strings.
 */
public final class Json {
    public static final ObjectMapper STRICT = base()
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();
    public static final ObjectMapper FLATTENED = base().build();

    private Json() {
    }

    private static JsonMapper.Builder base() {
        return JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.UPPER_CAMEL_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                // a null inside a list ("ImageIds": [null]) is a wrong type, not an element handlers must expect
                .defaultSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL))
                .serializationInclusion(JsonInclude.Include.NON_NULL);
    }
}
