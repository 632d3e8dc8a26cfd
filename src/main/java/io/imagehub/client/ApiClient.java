package io.imagehub.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagehub.api.Tc3Signer;
import io.imagehub.api.Tc3Signer.Header;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** Signed calls of the Tencent Cloud API 3.0 (TC3-HMAC-SHA256 over a JSON body), as the official SDKs make them. */
public final class ApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SERVICE = "cvm";
    private static final String VERSION = "2017-03-12";
    private static final String CONTENT_TYPE = "application/json; charset=utf-8";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** An answer with an {@code Error} member: the documented code and message. */
    public static final class ApiError extends IOException {
        private final String code;

        ApiError(String action, String code, String message) {
            super(action + ": " + code + ": " + message);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final URI endpoint;
    private final String secretId;
    private final String secretKey;

    /** {@code endpoint}: {@code http://host:port} (or https). */
    public ApiClient(String endpoint, String secretId, String secretKey) {
        this.endpoint = URI.create(endpoint.endsWith("/") ? endpoint : endpoint + "/");
        this.secretId = secretId;
        this.secretKey = secretKey;
    }

    /** Calls {@code action} in {@code region} with {@code request} (a map or record, serialised as JSON); returns {@code Response}. */
    public JsonNode call(String action, String region, Object request) throws IOException, InterruptedException {
        byte[] body = JSON.writeValueAsBytes(request);
        long timestamp = System.currentTimeMillis() / 1000;
        String authorization = Tc3Signer.authorization(secretId, secretKey, SERVICE, timestamp, "POST", "",
                List.of(new Header("content-type", CONTENT_TYPE), new Header("host", endpoint.getAuthority())), body);
        HttpRequest signed = HttpRequest.newBuilder(endpoint).timeout(TIMEOUT)
                .header("Content-Type", CONTENT_TYPE)
                .header("Authorization", authorization)
                .header("X-TC-Action", action)
                .header("X-TC-Version", VERSION)
                .header("X-TC-Timestamp", Long.toString(timestamp))
                .header("X-TC-Region", region)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return responseOf(action, http.send(signed, HttpResponse.BodyHandlers.ofString()));
    }

    /** PUTs {@code bytes} to a signed transfer path on the same endpoint (e.g. ImportImage's ImagehubUploadUrl). */
    public JsonNode put(String path, byte[] bytes) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(endpoint.resolve(path)).timeout(TIMEOUT)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
        return responseOf("upload", http.send(request, HttpResponse.BodyHandlers.ofString()));
    }

    private static JsonNode responseOf(String action, HttpResponse<String> answer) throws IOException {
        JsonNode response;
        try {
            response = JSON.readTree(answer.body()).path("Response");
        } catch (IOException e) {
            throw new IOException(action + ": not an API answer (HTTP " + answer.statusCode() + ")", e);
        }
        JsonNode error = response.path("Error");
        if (!error.isMissingNode()) {
            throw new ApiError(action, error.path("Code").asText(), error.path("Message").asText());
        }
        if (answer.statusCode() != 200) {
            throw new IOException(action + ": HTTP " + answer.statusCode());
        }
        return response;
    }
}
