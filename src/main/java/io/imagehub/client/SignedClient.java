package io.imagehub.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagehub.api.Tc3Signer;
import io.imagehub.api.Tc3Signer.Header;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.LongConsumer;

/**
 * imagehub's own TC3 client (the CLI's, the tests', the benchmarks'): signs each call as the official SDKs do
 * (content-type;host, service {@code cvm}) over HTTP(S), and moves image bytes through the signed transfer URLs
 * the API hands out (docs/adr/0012-uploads.md). It knows nothing of the server's internals.
 */
public final class SignedClient {
    public static final String VERSION = "2017-03-12";
    private static final String SERVICE = "cvm";
    private static final String CONTENT_TYPE = "application/json; charset=utf-8";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The service answered with an error envelope. */
    public static final class ApiError extends RuntimeException {
        private final String code;
        private final String requestId;

        public ApiError(String code, String message, String requestId) {
            super(message);
            this.code = code;
            this.requestId = requestId;
        }

        public String code() {
            return code;
        }

        public String requestId() {
            return requestId;
        }
    }

    /** The service could not be reached, or did not answer as the API does. */
    public static final class TransportError extends RuntimeException {
        public TransportError(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final URI endpoint;
    private final String secretId;
    private final String secretKey;
    private final String language;
    private final Duration timeout;
    private final HttpClient http;

    public SignedClient(URI endpoint, String secretId, String secretKey, String language, Duration timeout) {
        this.endpoint = endpoint;
        this.secretId = secretId;
        this.secretKey = secretKey;
        this.language = language;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /**
     * The API's base URI from what a user types: {@code http(s)://host:port} as is, {@code host:port} over http.
     * Throws IllegalArgumentException for anything else.
     */
    public static URI endpoint(String text) {
        String withScheme = text.contains("://") ? text : "http://" + text;
        URI uri = URI.create(withScheme.endsWith("/") ? withScheme.substring(0, withScheme.length() - 1) : withScheme);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
                || (uri.getRawPath() != null && !uri.getRawPath().isEmpty())) {
            throw new IllegalArgumentException("an endpoint is http(s)://host:port or host:port, not `" + text + "`");
        }
        return uri;
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Calls {@code action} (region may be null) and returns the envelope's {@code Response}, or throws ApiError. */
    public JsonNode call(String action, String region, JsonNode params) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(params);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        HttpRequest.Builder request = signed(endpoint, secretId, secretKey, action, region, body,
                System.currentTimeMillis() / 1000).timeout(timeout);
        if (language != null) {
            request.header("X-TC-Language", language);
        }
        return response(send(request.build(), HttpResponse.BodyHandlers.ofByteArray()).body());
    }

    /**
     * A POST of {@code body} to {@code action} signed with {@code signingSecret} at {@code timestamp}, as the SDKs
     * sign it; tests pass a wrong secret or an old timestamp on purpose.
     */
    public static HttpRequest.Builder signed(URI endpoint, String secretId, String signingSecret, String action,
                                             String region, byte[] body, long timestamp) {
        String authorization = Tc3Signer.authorization(secretId, signingSecret, SERVICE, timestamp, "POST", "",
                List.of(new Header("content-type", CONTENT_TYPE), new Header("host", endpoint.getRawAuthority())),
                body);
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve("/"))
                .header("Content-Type", CONTENT_TYPE)
                .header("Authorization", authorization)
                .header("X-TC-Action", action)
                .header("X-TC-Version", VERSION)
                .header("X-TC-Timestamp", Long.toString(timestamp))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (region != null) {
            request.header("X-TC-Region", region);
        }
        return request;
    }

    /**
     * PUTs a file to an upload URL (a path on this endpoint) and returns the answer's {@code Response}.
     * {@code progress} receives the bytes sent so far.
     */
    public JsonNode upload(String path, Path file, LongConsumer progress) throws IOException {
        long size = Files.size(file);
        HttpRequest request = HttpRequest.newBuilder(endpoint.resolve(path))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> {
                    try {
                        return new Counting(Files.newInputStream(file), progress);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }), size))
                .build();
        return response(send(request, HttpResponse.BodyHandlers.ofByteArray()).body());
    }

    /** PUTs {@code bytes} to an upload URL (a path on this endpoint) and returns the answer's {@code Response}. */
    public JsonNode upload(String path, byte[] bytes) {
        HttpRequest request = HttpRequest.newBuilder(endpoint.resolve(path))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build();
        return response(send(request, HttpResponse.BodyHandlers.ofByteArray()).body());
    }

    /** A download's bytes, with the digest the service sent beside them. */
    public record Download(InputStream body, long sizeBytes, String sha256) {
    }

    /** GETs a download URL (a path on this endpoint); an error envelope is thrown as ApiError. */
    public Download download(String path) {
        HttpResponse<InputStream> response = send(HttpRequest.newBuilder(endpoint.resolve(path)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (type.startsWith("application/json")) {
            try (InputStream in = response.body()) {
                response(in.readAllBytes());
            } catch (IOException e) {
                throw new TransportError("the download's answer could not be read: " + e.getMessage(), e);
            }
            throw new TransportError("the download answered JSON without an error", null);
        }
        return new Download(response.body(), response.headers().firstValueAsLong("Content-Length").orElse(-1),
                response.headers().firstValue("X-Imagehub-Sha256").orElse(null));
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        HttpResponse<T> response;
        try {
            response = http.send(request, handler);
        } catch (HttpTimeoutException e) {
            throw new TransportError("no answer from " + endpoint + " within " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportError("interrupted", e);
        } catch (IOException e) {
            throw new TransportError("cannot reach " + endpoint + ": " + (e.getMessage() == null ? e : e.getMessage()), e);
        }
        if (response.statusCode() != 200) {
            throw new TransportError(endpoint + " answered HTTP " + response.statusCode()
                    + " (is it an imagehub endpoint?)", null);
        }
        return response;
    }

    private static JsonNode response(byte[] body) {
        JsonNode response;
        try {
            response = JSON.readTree(body).get("Response");
        } catch (IOException e) {
            throw new TransportError("the answer is not JSON: " + new String(body, 0, Math.min(body.length, 200),
                    StandardCharsets.UTF_8), e);
        }
        if (response == null || !response.isObject()) {
            throw new TransportError("the answer has no Response object", null);
        }
        JsonNode error = response.get("Error");
        if (error != null) {
            throw new ApiError(error.path("Code").asText(), error.path("Message").asText(),
                    response.path("RequestId").asText(null));
        }
        return response;
    }

    /** Counts the bytes read, for a progress bar. */
    private static final class Counting extends FilterInputStream {
        private final LongConsumer progress;
        private long count;

        Counting(InputStream in, LongConsumer progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException();
            }
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
                progress.accept(count);
            }
            return n;
        }
    }
}
