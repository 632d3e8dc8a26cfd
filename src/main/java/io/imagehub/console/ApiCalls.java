package io.imagehub.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagehub.api.ApiGateway;
import io.imagehub.api.RequestAuthenticator.SignedRequest;
import io.imagehub.api.Tc3Signer;
import io.imagehub.api.Tc3Signer.Header;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The console's only way in: every page and form becomes TC3-signed API requests, signed here with the session's
 * key and handed to the {@link ApiGateway} in-process, so the API checks the signature, the rules and the limits and
 * writes the audit trail exactly as for an SDK call. Nothing here reaches the domain around it.
 */
public final class ApiCalls {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTENT_TYPE = "application/json; charset=utf-8";
    /** What the signature's host header says; the gateway checks that it is signed, not what it is. */
    private static final String HOST = "imagehub-console";

    private final ApiGateway gateway;

    public ApiCalls(ApiGateway gateway) {
        this.gateway = gateway;
    }

    /** Who signs and in which region and language (X-TC-Language) the API answers. */
    public record Caller(String secretId, String secretKey, String region, String language) {
        @Override
        public String toString() {
            return "Caller[" + secretId + ", " + region + "]";
        }
    }

    /** The envelope's Response: a result, or the API's error code and message. */
    public record Answer(JsonNode response) {
        public boolean ok() {
            return !response.has("Error");
        }

        public String errorCode() {
            return response.path("Error").path("Code").asText(null);
        }

        public String errorMessage() {
            return response.path("Error").path("Message").asText(null);
        }

        public JsonNode get(String member) {
            return response.path(member);
        }
    }

    /** A request body to fill in ({@code ObjectNode.put}/{@code putArray}). */
    public static ObjectNode body() {
        return JSON.createObjectNode();
    }

    public Answer call(Caller caller, String action, ObjectNode body) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long timestamp = System.currentTimeMillis() / 1000;
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.put("Content-Type", CONTENT_TYPE);
        headers.put("Host", HOST);
        headers.put("Authorization", Tc3Signer.authorization(caller.secretId(), caller.secretKey(), "cvm", timestamp,
                "POST", "", List.of(new Header("content-type", CONTENT_TYPE), new Header("host", HOST)), bytes));
        headers.put("X-TC-Action", action);
        headers.put("X-TC-Version", ApiGateway.VERSION);
        headers.put("X-TC-Timestamp", Long.toString(timestamp));
        if (caller.region() != null) {
            headers.put("X-TC-Region", caller.region());
        }
        if (caller.language() != null) {
            headers.put("X-TC-Language", caller.language());
        }
        ApiGateway.Reply reply = gateway.handle(new SignedRequest("POST", "", headers::get, bytes));
        try {
            return new Answer(JSON.readTree(reply.body()).path("Response"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
