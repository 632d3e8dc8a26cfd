package io.imagehub.api;

import static io.imagehub.domain.ErrorCodes.AUTH_INVALID_SECRET_ID;
import static io.imagehub.domain.ErrorCodes.AUTH_SECRET_ID_NOT_FOUND;
import static io.imagehub.domain.ErrorCodes.AUTH_SIGNATURE_EXPIRE;
import static io.imagehub.domain.ErrorCodes.AUTH_SIGNATURE_FAILURE;
import static io.imagehub.domain.ErrorCodes.AUTH_TOKEN_FAILURE;
import static io.imagehub.domain.ErrorCodes.MISSING_PARAMETER;

import io.imagehub.api.RequestAuthenticator.SignedRequest;
import io.imagehub.domain.AccountService;
import io.imagehub.domain.AccountService.ResolvedKey;
import io.imagehub.domain.ApiException;
import io.imagehub.domain.NonceLedger;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signature v1 (spec 1.7): the common parameters ({@code SecretId}, {@code Timestamp}, {@code Nonce},
 * {@code SignatureMethod}, {@code Signature}, ...) travel with the business parameters in the GET query or the
 * form-encoded POST body, and the signature is a Base64 HMAC-SHA1 (default) or HMAC-SHA256 of
 * {@code METHOD + Host + "/?" + the other parameters sorted by name, with their decoded values}. A verified
 * {@code (SecretId, Nonce)} pair is accepted once within the timestamp window, by every node on the database
 * (docs/adr/0010-signature-v1-replay.md).
 */
public final class SignatureV1 {
    /** The parameters that are not the action's: they say who signed, how, and what is called. */
    public static final Set<String> COMMON_PARAMETERS = Set.of("Action", "Version", "Region", "Timestamp", "Nonce",
            "SecretId", "Signature", "SignatureMethod", "Token", "Language", "RequestClient");
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final Pattern SECRET_ID_SHAPE = Pattern.compile("[A-Za-z0-9]{8,64}");
    private static final Pattern TIMESTAMP = Pattern.compile("[0-9]{1,12}");
    private static final Pattern NONCE = Pattern.compile("[0-9]{1,20}");

    private final AccountService accounts;
    private final NonceLedger nonces;
    private final Clock clock;
    private final long maxSkewSeconds;

    public SignatureV1(AccountService accounts, NonceLedger nonces, Clock clock, long maxSkewSeconds) {
        this.accounts = accounts;
        this.nonces = nonces;
        this.clock = clock;
        this.maxSkewSeconds = maxSkewSeconds;
    }

    /**
     * The decoded parameters of a request signed with v1 (no {@code Authorization} header, a {@code Signature}
     * parameter in the GET query or in the form-encoded POST body), or null if it is not such a request.
     */
    static Map<String, String> parameters(SignedRequest request) {
        if (request.header().apply("Authorization") != null) {
            return null;
        }
        String raw;
        if ("GET".equals(request.method())) {
            raw = request.rawQuery();
        } else {
            String contentType = request.header().apply("Content-Type");
            raw = contentType != null && contentType.toLowerCase().startsWith(FORM) && request.body() != null
                    ? new String(request.body(), StandardCharsets.UTF_8) : null;
        }
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        Map<String, String> params = FlattenedParams.decode(raw);
        return params.containsKey("Signature") ? params : null;
    }

    /** The action's own parameters: all but {@link #COMMON_PARAMETERS}. */
    static Map<String, String> businessParameters(Map<String, String> params) {
        Map<String, String> business = new LinkedHashMap<>(params);
        business.keySet().removeAll(COMMON_PARAMETERS);
        return business;
    }

    /** Verifies {@code params} as signed for {@code method} to {@code host} and says whose key signed them. */
    public ResolvedKey authenticate(String method, String host, Map<String, String> params) {
        String secretId = required(params, "SecretId");
        if (!SECRET_ID_SHAPE.matcher(secretId).matches()) {
            throw new ApiException(AUTH_INVALID_SECRET_ID, "The SecretId is not a valid API key id.");
        }
        String timestampText = params.get("Timestamp");
        if (timestampText == null || !TIMESTAMP.matcher(timestampText).matches()) {
            throw new ApiException(MISSING_PARAMETER, "The parameter `Timestamp` is missing or not a Unix time in seconds.");
        }
        long timestamp = Long.parseLong(timestampText);
        Instant now = clock.instant();
        if (Math.abs(now.getEpochSecond() - timestamp) > maxSkewSeconds) {
            throw new ApiException(AUTH_SIGNATURE_EXPIRE, "The request timestamp `" + timestampText
                    + "` is more than " + maxSkewSeconds + " seconds away from the server time.");
        }
        String nonce = required(params, "Nonce");
        if (!NONCE.matcher(nonce).matches()) {
            throw new ApiException(MISSING_PARAMETER, "The parameter `Nonce` must be a positive integer.");
        }
        String algorithm = hmacAlgorithm(params.getOrDefault("SignatureMethod", "HmacSHA1"));
        ResolvedKey key = accounts.resolve(secretId).orElseThrow(() ->
                new ApiException(AUTH_SECRET_ID_NOT_FOUND, "The SecretId is not found or is disabled."));
        String token = params.get("Token");
        if (token != null && !token.isEmpty()) {
            // imagehub issues only permanent keys: a session token cannot belong to any of them
            throw new ApiException(AUTH_TOKEN_FAILURE, "The session token is not valid for this key.");
        }
        byte[] expected = sign(algorithm, key.secretKey(), stringToSign(method, host == null ? "" : host, params))
                .getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, params.get("Signature").getBytes(StandardCharsets.US_ASCII))) {
            throw signatureFailure();
        }
        if (!nonces.firstUse(secretId, nonce, Instant.ofEpochSecond(timestamp + maxSkewSeconds), now)) {
            throw new ApiException(AUTH_SIGNATURE_FAILURE, "The request was already received (its `Nonce` was used "
                    + "within the last " + maxSkewSeconds + " seconds); sign each request with a new `Nonce`.");
        }
        return key;
    }

    /** {@code METHOD + host + "/?" + name=value&...} over every parameter but Signature, sorted by name. */
    static String stringToSign(String method, String host, Map<String, String> params) {
        StringBuilder sb = new StringBuilder(256).append(method).append(host).append("/?");
        String separator = "";
        for (Map.Entry<String, String> p : new TreeMap<>(params).entrySet()) {
            if (!p.getKey().equals("Signature")) {
                sb.append(separator).append(p.getKey()).append('=').append(p.getValue());
                separator = "&";
            }
        }
        return sb.toString();
    }

    /** Base64 of the HMAC ({@code HmacSHA1} or {@code HmacSHA256}) of {@code stringToSign} under the SecretKey. */
    static String sign(String algorithm, String secretKey, String stringToSign) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), algorithm));
            return Base64.getEncoder().encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hmacAlgorithm(String signatureMethod) {
        return switch (signatureMethod) {
            case "HmacSHA1", "HmacSHA256" -> signatureMethod;
            default -> throw new ApiException(AUTH_SIGNATURE_FAILURE,
                    "The `SignatureMethod` `" + signatureMethod + "` is not HmacSHA1 or HmacSHA256.");
        };
    }

    private static String required(Map<String, String> params, String name) {
        String value = params.get(name);
        if (value == null || value.isEmpty()) {
            throw new ApiException(MISSING_PARAMETER, "The parameter `" + name + "` is missing.");
        }
        return value;
    }

    private static ApiException signatureFailure() {
        return new ApiException(AUTH_SIGNATURE_FAILURE,
                "The provided credentials could not be validated. Please check your signature is correct.");
    }
}
