package io.imagehub.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where an image's bytes came from, stored with the image as a small JSON object. Only the image's owner is ever
 * shown it, so it may name the owner's own URLs and images.
 */
public final class Lineage {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Lineage() {
    }

    public static String official() {
        return json(Map.of("Kind", "OFFICIAL"));
    }

    /** Bytes the owner uploaded from a local file (docs/adr/0012-uploads.md). */
    public static String uploaded() {
        return json(Map.of("Kind", "UPLOADED"));
    }

    public static String imported(String url) {
        return json(Map.of("Kind", "IMPORTED", "Url", url));
    }

    /**
     * An image captured from an instance: which instance, and the image its disk came from with that image's owner
     * ("tencent" for a public image). It names nothing of the upstream image's own lineage, which belongs to that
     * image's owner alone.
     */
    public static String created(String instanceId, String launchedFromImageId, String launchedFromImageOwner) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("Kind", "CREATED");
        fields.put("InstanceId", instanceId);
        fields.put("LaunchedFromImageId", launchedFromImageId);
        fields.put("LaunchedFromImageOwner", launchedFromImageOwner == null ? "tencent" : launchedFromImageOwner);
        return json(fields);
    }

    /** A copy made by SyncImages: the image it was copied from, and that image's region. */
    public static String synced(String sourceImageId, String sourceRegion) {
        return json(Map.of("Kind", "SYNCED", "SourceImageId", sourceImageId, "SourceRegion", sourceRegion));
    }

    private static String json(Map<String, String> fields) {
        try {
            return JSON.writeValueAsString(new LinkedHashMap<>(fields));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
