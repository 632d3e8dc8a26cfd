package io.imagehub.domain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed, expiring transfer URLs (docs/adr/0012-uploads.md): a TC3-signed action hands out a URL that names one
 * image, one direction and an expiry, with an HMAC over exactly those; whoever holds the URL may move that image's
 * bytes until it expires (a browser needs no signing code). The key is derived from the master key, so any node
 * verifies what another signed.
 */
public final class TransferTokens {
    public enum Direction { UPLOAD, DOWNLOAD }

    /** A signed grant: the path to call and until when it is valid. */
    public record Grant(String imageId, Direction direction, Instant expiresAt, String signature) {
        public String path() {
            return (direction == Direction.UPLOAD ? UPLOAD_PATH : DOWNLOAD_PATH) + imageId + "?Expires="
                    + expiresAt.getEpochSecond() + "&Signature=" + signature;
        }
    }

    public static final String UPLOAD_PATH = "/imagehub/uploads/";
    public static final String DOWNLOAD_PATH = "/imagehub/downloads/";

    private final byte[] key;
    private final Clock clock;

    public TransferTokens(byte[] key, Clock clock) {
        this.key = key.clone();
        this.clock = clock;
    }

    public Grant grant(String imageId, Direction direction, Instant expiresAt) {
        return new Grant(imageId, direction, Instant.ofEpochSecond(expiresAt.getEpochSecond()),
                sign(imageId, direction, expiresAt.getEpochSecond()));
    }

    /** Throws the Tencent authentication error a caller of a bad or expired URL gets. */
    public void verify(String imageId, Direction direction, String expires, String signature) {
        long expiresAt;
        try {
            expiresAt = Long.parseLong(expires == null ? "" : expires);
        } catch (NumberFormatException e) {
            throw new ApiException(ErrorCodes.AUTH_SIGNATURE_FAILURE, "The transfer URL is not signed.");
        }
        String expected = sign(imageId, direction, expiresAt);
        if (signature == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII))) {
            throw new ApiException(ErrorCodes.AUTH_SIGNATURE_FAILURE, "The transfer URL's signature is not valid.");
        }
        if (clock.instant().getEpochSecond() > expiresAt) {
            throw new ApiException(ErrorCodes.AUTH_SIGNATURE_EXPIRE, "The transfer URL has expired; ask for a new one.");
        }
    }

    private String sign(String imageId, Direction direction, long expiresAt) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((direction + "\n" + imageId + "\n" + expiresAt)
                    .getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
