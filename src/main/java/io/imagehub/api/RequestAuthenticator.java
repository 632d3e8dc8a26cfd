package io.imagehub.api;

import static io.imagehub.domain.ErrorCodes.AUTH_INVALID_AUTHORIZATION;
import static io.imagehub.domain.ErrorCodes.AUTH_INVALID_SECRET_ID;
import static io.imagehub.domain.ErrorCodes.AUTH_SECRET_ID_NOT_FOUND;
import static io.imagehub.domain.ErrorCodes.AUTH_SIGNATURE_EXPIRE;
import static io.imagehub.domain.ErrorCodes.AUTH_SIGNATURE_FAILURE;
import static io.imagehub.domain.ErrorCodes.AUTH_TOKEN_FAILURE;
import static io.imagehub.domain.ErrorCodes.MISSING_PARAMETER;

import io.imagehub.api.Tc3Signer.Header;
import io.imagehub.domain.AccountService;
import io.imagehub.domain.AccountService.ResolvedKey;
import io.imagehub.domain.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Verifies a TC3-HMAC-SHA256 signed request (spec 1.6.2) and says which account sent it. The service name is
 * taken from the credential scope as sent (the SDK derives it from the endpoint, e.g. {@code 127}).
 */
public final class RequestAuthenticator {
    private static final Pattern SECRET_ID_SHAPE = Pattern.compile("[A-Za-z0-9]{8,64}");
    private static final Pattern TIMESTAMP = Pattern.compile("[0-9]{1,12}");
    /** A host (name, IPv4 or bracketed IPv6) followed by a port. */
    private static final Pattern HOST_PORT = Pattern.compile("([^:\\[\\]]+|\\[[0-9A-Fa-f:.]+\\]):[0-9]{1,5}");

    private final AccountService accounts;
    private final Clock clock;
    private final long maxSkewSeconds;
    private final boolean acceptUnsignedPayload;
    /** Derived signing keys by SecretId/date/service: keys never change once issued, so a day's key is reusable. */
    private final Map<String, byte[]> signingKeys = new ConcurrentHashMap<>();
    private static final int MAX_CACHED_SIGNING_KEYS = 100_000;

    /** What the verifier needs of a request, whatever server received it. */
    public record SignedRequest(String method, String rawQuery, Function<String, String> header, byte[] body) {
    }

    public RequestAuthenticator(AccountService accounts, Clock clock, long maxSkewSeconds, boolean acceptUnsignedPayload) {
        this.accounts = accounts;
        this.clock = clock;
        this.maxSkewSeconds = maxSkewSeconds;
        this.acceptUnsignedPayload = acceptUnsignedPayload;
    }

    public ResolvedKey authenticate(SignedRequest request) {
        String authorization = request.header().apply("Authorization");
        if (authorization == null || authorization.isBlank()) {
            throw new ApiException(MISSING_PARAMETER, "The request is not signed: the `Authorization` header is missing.");
        }
        ParsedAuthorization auth = parse(authorization);
        if (!SECRET_ID_SHAPE.matcher(auth.secretId()).matches()) {
            throw new ApiException(AUTH_INVALID_SECRET_ID, "The SecretId is not a valid API key id.");
        }
        String timestampText = request.header().apply("X-TC-Timestamp");
        if (timestampText == null || !TIMESTAMP.matcher(timestampText).matches()) {
            throw new ApiException(MISSING_PARAMETER, "The header `X-TC-Timestamp` is missing or not a Unix time in seconds.");
        }
        long timestamp = Long.parseLong(timestampText);
        if (Math.abs(clock.instant().getEpochSecond() - timestamp) > maxSkewSeconds) {
            throw new ApiException(AUTH_SIGNATURE_EXPIRE, "The request timestamp `" + timestampText
                    + "` is more than " + maxSkewSeconds + " seconds away from the server time.");
        }
        ResolvedKey key = accounts.resolve(auth.secretId()).orElseThrow(() ->
                new ApiException(AUTH_SECRET_ID_NOT_FOUND, "The SecretId is not found or is disabled."));
        if (request.header().apply("X-TC-Token") != null && !request.header().apply("X-TC-Token").isEmpty()) {
            // imagehub issues only permanent keys: a session token cannot belong to any of them
            throw new ApiException(AUTH_TOKEN_FAILURE, "The session token is not valid for this key.");
        }
        List<Header> signed = new ArrayList<>(auth.signedHeaders().size());
        int hostIndex = -1;
        for (String name : auth.signedHeaders()) {
            String value = request.header().apply(name);
            if (value == null) {
                throw signatureFailure();
            }
            if (name.equals("host")) {
                hostIndex = signed.size();
            }
            signed.add(new Header(name, value));
        }
        if (!auth.date().equals(Tc3Signer.utcDate(timestamp))) {
            throw signatureFailure();
        }
        String hashedPayload = hashedPayload(request);
        String query = "GET".equals(request.method()) && request.rawQuery() != null ? request.rawQuery() : "";
        byte[] signingKey = signingKey(auth, key);
        for (String host : signedHostForms(signed.get(hostIndex).value())) {
            signed.set(hostIndex, new Header("host", host));
            String canonical = Tc3Signer.canonicalRequest(request.method(), query, signed, hashedPayload);
            String expected = Tc3Signer.signature(signingKey,
                    Tc3Signer.stringToSign(timestamp, auth.date(), auth.service(), canonical));
            if (MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                    auth.signature().getBytes(StandardCharsets.US_ASCII))) {
                return key;
            }
        }
        throw signatureFailure();
    }

    /**
     * The values an official SDK may have signed as {@code host} for the Host header it sent: the header itself
     * (every SDK but Node.js), and the header without its port (the Node.js SDK signs {@code URL.hostname}).
     * Nothing else: docs/adr/0013-signed-host-forms.md.
     */
    static List<String> signedHostForms(String hostHeader) {
        Matcher port = HOST_PORT.matcher(hostHeader);
        return port.matches() ? List.of(hostHeader, port.group(1)) : List.of(hostHeader);
    }

    private byte[] signingKey(ParsedAuthorization auth, ResolvedKey key) {
        String scope = auth.secretId() + '/' + auth.date() + '/' + auth.service();
        byte[] cached = signingKeys.get(scope);
        if (cached == null) {
            if (signingKeys.size() >= MAX_CACHED_SIGNING_KEYS) {
                signingKeys.clear(); // old dates and idle keys: cheaper to rebuild than to track
            }
            cached = Tc3Signer.signingKey(key.secretKey(), auth.date(), auth.service());
            signingKeys.put(scope, cached);
        }
        return cached;
    }

    private String hashedPayload(SignedRequest request) {
        if (Tc3Signer.UNSIGNED_PAYLOAD.equals(request.header().apply("X-TC-Content-SHA256"))) {
            if (!acceptUnsignedPayload) {
                throw signatureFailure();
            }
            return Tc3Signer.sha256Hex(Tc3Signer.UNSIGNED_PAYLOAD.getBytes(StandardCharsets.US_ASCII));
        }
        return Tc3Signer.sha256Hex(request.body());
    }

    private record ParsedAuthorization(String secretId, String date, String service, List<String> signedHeaders,
                                       String signature) {
    }

    private static ParsedAuthorization parse(String authorization) {
        String prefix = Tc3Signer.ALGORITHM + " ";
        if (!authorization.startsWith(prefix)) {
            throw invalidAuthorization();
        }
        String credential = null;
        String signedHeaders = null;
        String signature = null;
        for (String part : authorization.substring(prefix.length()).split(",")) {
            String p = part.trim();
            if (p.startsWith("Credential=")) {
                credential = p.substring("Credential=".length());
            } else if (p.startsWith("SignedHeaders=")) {
                signedHeaders = p.substring("SignedHeaders=".length());
            } else if (p.startsWith("Signature=")) {
                signature = p.substring("Signature=".length());
            }
        }
        if (credential == null || signedHeaders == null || signature == null) {
            throw invalidAuthorization();
        }
        String[] scope = credential.split("/", -1);
        if (scope.length != 4 || !"tc3_request".equals(scope[3]) || scope[0].isEmpty()) {
            throw invalidAuthorization();
        }
        List<String> headers = List.of(signedHeaders.split(";"));
        if (!headers.contains("content-type") || !headers.contains("host")
                || !headers.stream().sorted().toList().equals(headers)) {
            throw invalidAuthorization();
        }
        return new ParsedAuthorization(scope[0], scope[1], scope[2], headers, signature);
    }

    private static ApiException invalidAuthorization() {
        return new ApiException(AUTH_INVALID_AUTHORIZATION,
                "The Authorization header is not a valid TC3-HMAC-SHA256 authorization.");
    }

    private static ApiException signatureFailure() {
        return new ApiException(AUTH_SIGNATURE_FAILURE,
                "The provided credentials could not be validated. Please check your signature is correct.");
    }
}
