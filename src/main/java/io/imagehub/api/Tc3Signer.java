package io.imagehub.api;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The TC3-HMAC-SHA256 algorithm (spec section 1.6), shared by the server's verifier and by our own clients
 * (CLI, load generator). Pure functions over the request's parts; no I/O.
 */
public final class Tc3Signer {
    public static final String ALGORITHM = "TC3-HMAC-SHA256";
    public static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    private static final HexFormat HEX = HexFormat.of();
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private Tc3Signer() {
    }

    /** One signed header as the canonical request needs it: lower-case name, raw value. */
    public record Header(String name, String value) {
    }

    /** UTC calendar date of a Unix timestamp, as used in the credential scope. */
    public static String utcDate(long timestamp) {
        return DATE.format(Instant.ofEpochSecond(timestamp));
    }

    public static String canonicalRequest(String method, String rawQuery, List<Header> signedHeaders,
                                          String hashedPayload) {
        StringBuilder sb = new StringBuilder(256);
        sb.append(method).append('\n').append('/').append('\n').append(rawQuery).append('\n');
        StringBuilder names = new StringBuilder();
        for (Header h : signedHeaders) {
            sb.append(h.name()).append(':').append(h.value().trim().toLowerCase()).append('\n');
            if (!names.isEmpty()) {
                names.append(';');
            }
            names.append(h.name());
        }
        sb.append('\n').append(names).append('\n').append(hashedPayload);
        return sb.toString();
    }

    public static String stringToSign(long timestamp, String date, String service, String canonicalRequest) {
        return ALGORITHM + '\n' + timestamp + '\n' + date + '/' + service + "/tc3_request\n"
                + sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
    }

    /** Lower-case hex signature of {@code stringToSign} with the key derived from the secret, date and service. */
    public static String signature(String secretKey, String date, String service, String stringToSign) {
        return signature(signingKey(secretKey, date, service), stringToSign);
    }

    /** The key a secret signs with on one date for one service (three HMACs; the same all day). */
    public static byte[] signingKey(String secretKey, String date, String service) {
        byte[] secretDate = hmac(("TC3" + secretKey).getBytes(StandardCharsets.UTF_8), date);
        byte[] secretService = hmac(secretDate, service);
        return hmac(secretService, "tc3_request");
    }

    public static String signature(byte[] signingKey, String stringToSign) {
        return HEX.formatHex(hmac(signingKey, stringToSign));
    }

    /** The full Authorization header value for a request (used by imagehub's own clients). */
    public static String authorization(String secretId, String secretKey, String service, long timestamp,
                                       String method, String rawQuery, List<Header> signedHeaders, byte[] body) {
        String date = utcDate(timestamp);
        String canonical = canonicalRequest(method, rawQuery, signedHeaders, sha256Hex(body));
        String signature = signature(secretKey, date, service, stringToSign(timestamp, date, service, canonical));
        String names = String.join(";", signedHeaders.stream().map(Header::name).toList());
        return ALGORITHM + " Credential=" + secretId + '/' + date + '/' + service + "/tc3_request, SignedHeaders="
                + names + ", Signature=" + signature;
    }

    public static String sha256Hex(byte[] data) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] hmac(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
