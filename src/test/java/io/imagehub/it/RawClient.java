package io.imagehub.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagehub.client.SignedClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * A hand-made TC3 client for what the SDK will not send: unknown members, wrong types, stale timestamps, bad
 * signatures, and reading extension members of responses. Signs with {@link SignedClient#signed}, the CLI's own signing
 * (as the SDK signs: content-type;host).
 */
public final class RawClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String endpoint;
    private final String secretId;
    private final String secretKey;

    public RawClient(String endpoint, String secretId, String secretKey) {
        this.endpoint = endpoint;
        this.secretId = secretId;
        this.secretKey = secretKey;
    }

    public RawClient(TestServer server, TestServer.Account account) {
        this(server.endpoint(), account.secretId(), account.secretKey());
    }

    /** Calls {@code action} and returns the envelope's {@code Response} object. */
    public JsonNode call(String action, String region, String body) {
        return call(action, region, body, System.currentTimeMillis() / 1000, secretKey);
    }

    public JsonNode call(String action, String region, String body, long timestamp, String signingKey) {
        return send(signed(action, region, body, timestamp, signingKey));
    }

    /** Calls {@code action} and returns the whole envelope, byte for byte as the server wrote it. */
    public String callForEnvelope(String action, String region, String body) {
        return sendRaw(signed(action, region, body, System.currentTimeMillis() / 1000, secretKey)).body();
    }

    private HttpRequest signed(String action, String region, String body, long timestamp, String signingKey) {
        return SignedClient.signed(URI.create("http://" + endpoint), secretId, signingKey, action, region,
                body.getBytes(StandardCharsets.UTF_8), timestamp).build();
    }

    public HttpResponse<String> sendRaw(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    JsonNode send(HttpRequest request) {
        HttpResponse<String> response = sendRaw(request);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
        }
        try {
            return JSON.readTree(response.body()).get("Response");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String errorCode(JsonNode response) {
        return response.path("Error").path("Code").asText(null);
    }
}
