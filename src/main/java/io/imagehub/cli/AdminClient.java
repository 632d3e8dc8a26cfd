package io.imagehub.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

/** Calls the admin surface of a running server with the admin token (flag, env IMAGEHUB_ADMIN_TOKEN, or data dir). */
final class AdminClient {
    private final HttpClient http = HttpClient.newHttpClient();
    private final String endpoint;
    private final String token;

    AdminClient(String endpoint, String tokenFlag, Path dataDir) throws IOException {
        this.endpoint = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        String token = tokenFlag != null ? tokenFlag : System.getenv("IMAGEHUB_ADMIN_TOKEN");
        if (token == null || token.isBlank()) {
            Path file = dataDir.resolve("admin-token");
            if (!Files.exists(file)) {
                throw new IOException("no admin token: pass --admin-token, set IMAGEHUB_ADMIN_TOKEN, or point "
                        + "--data-dir at the server's data directory (" + file + " is missing)");
            }
            token = Files.readString(file).trim();
        }
        this.token = token;
    }

    String post(String path, String json) throws IOException, InterruptedException {
        return bodyIfOk(postForAnswer(path, json));
    }

    String get(String path) throws IOException, InterruptedException {
        return bodyIfOk(exchange(HttpRequest.newBuilder(URI.create(endpoint + path)).GET()));
    }

    /** The answer to a POST whatever its status, for commands that tell the server's refusals apart. */
    HttpResponse<String> postForAnswer(String path, String json) throws IOException, InterruptedException {
        return exchange(HttpRequest.newBuilder(URI.create(endpoint + path))
                .POST(HttpRequest.BodyPublishers.ofString(json)).header("Content-Type", "application/json"));
    }

    private HttpResponse<String> exchange(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String bodyIfOk(HttpResponse<String> response) throws IOException {
        if (response.statusCode() != 200) {
            throw new IOException("the server refused (HTTP " + response.statusCode() + "): " + response.body());
        }
        return response.body();
    }
}
