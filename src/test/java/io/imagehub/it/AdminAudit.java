package io.imagehub.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads the audit trail through GET /admin/audit, as operators do. */
public final class AdminAudit {
    private AdminAudit() {
    }

    /** Events about {@code imageId}, oldest first (the API answers newest first). */
    public static List<JsonNode> ofImage(String endpoint, String adminToken, String imageId) {
        List<JsonNode> events = get(endpoint, adminToken, "image=" + URLEncoder.encode(imageId, StandardCharsets.UTF_8));
        return events.reversed();
    }

    /** {@code GET /admin/audit?<query>&limit=10000}, newest first. */
    public static List<JsonNode> get(String endpoint, String adminToken, String query) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://" + endpoint + "/admin/audit?limit=10000&" + query))
                    .header("Authorization", "Bearer " + adminToken).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("audit query failed: HTTP " + response.statusCode() + " " + response.body());
            }
            List<JsonNode> events = new ArrayList<>();
            new ObjectMapper().readTree(response.body()).forEach(events::add);
            return events;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
