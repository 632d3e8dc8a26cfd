package io.imagehub.api;

import static io.imagehub.domain.ErrorCodes.INVALID_PARAMETER;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagehub.domain.ApiException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns Tencent's flattened parameters ({@code Filters.0.Values.1=x}, spec 1.5) into the JSON tree a JSON body
 * would have carried. Array indices may start anywhere and are ordered numerically.
 */
final class FlattenedParams {
    private FlattenedParams() {
    }

    static JsonNode parse(String rawQuery) {
        return tree(decode(rawQuery));
    }

    /**
     * The name/value pairs of a query string or form body ({@code application/x-www-form-urlencoded}: {@code +} is a
     * space), in their order; a name given twice is refused.
     */
    static Map<String, String> decode(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (params.putIfAbsent(key, value) != null) {
                throw new ApiException(INVALID_PARAMETER, "The parameter `" + key + "` is given more than once.");
            }
        }
        return params;
    }

    /** The JSON tree that decoded flattened parameters stand for. */
    static JsonNode tree(Map<String, String> params) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        Map<String, Object> tree = new TreeMap<>();
        params.forEach((key, value) -> put(tree, key.split("\\.", -1), 0, value, key));
        tree.forEach((k, v) -> root.set(k, toNode(v)));
        return root;
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> node, String[] parts, int i, String value, String key) {
        String part = parts[i];
        if (part.isEmpty()) {
            throw new ApiException(INVALID_PARAMETER, "The parameter name `" + key + "` is malformed.");
        }
        if (i == parts.length - 1) {
            if (node.containsKey(part)) {
                throw new ApiException(INVALID_PARAMETER, "The parameter `" + key + "` is given more than once.");
            }
            node.put(part, value);
            return;
        }
        Object child = node.computeIfAbsent(part, k -> new TreeMap<String, Object>(FlattenedParams::compareKeys));
        if (!(child instanceof Map)) {
            throw new ApiException(INVALID_PARAMETER, "The parameter `" + key + "` mixes a value and a list or structure.");
        }
        put((Map<String, Object>) child, parts, i + 1, value, key);
    }

    /** Numeric keys in numeric order, so that index 10 follows index 9. */
    private static int compareKeys(String a, String b) {
        boolean an = isIndex(a);
        boolean bn = isIndex(b);
        if (an && bn) {
            return Long.compare(Long.parseLong(a), Long.parseLong(b));
        }
        return an == bn ? a.compareTo(b) : (an ? -1 : 1);
    }

    private static boolean isIndex(String s) {
        return !s.isEmpty() && s.length() < 10 && s.chars().allMatch(Character::isDigit);
    }

    @SuppressWarnings("unchecked")
    private static JsonNode toNode(Object value) {
        if (value instanceof String s) {
            return JsonNodeFactory.instance.textNode(s);
        }
        Map<String, Object> map = (Map<String, Object>) value;
        if (!map.isEmpty() && map.keySet().stream().allMatch(FlattenedParams::isIndex)) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            map.values().forEach(v -> array.add(toNode(v)));
            return array;
        }
        if (map.keySet().stream().anyMatch(FlattenedParams::isIndex)) {
            throw new ApiException(INVALID_PARAMETER, "A parameter mixes list indices and member names.");
        }
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        map.forEach((k, v) -> object.set(k, toNode(v)));
        return object;
    }
}
