package io.imagehub.blob;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 helpers shared by the chunk stores, the writer, the reader and backups. */
public final class Sha256 {

    private static final HexFormat HEX = HexFormat.of();
    private static final int HEX_LENGTH = 64;

    private Sha256() {
    }

    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    public static String hex(MessageDigest digest) {
        return HEX.formatHex(digest.digest());
    }

    public static String of(byte[] data, int length) {
        MessageDigest digest = newDigest();
        digest.update(data, 0, length);
        return hex(digest);
    }

    public static boolean isValid(String sha256) {
        if (sha256 == null || sha256.length() != HEX_LENGTH) {
            return false;
        }
        for (int i = 0; i < HEX_LENGTH; i++) {
            char c = sha256.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** Digests become file names and object keys, so anything else (e.g. "../x") must never reach storage. */
    static String requireValid(String sha256) {
        if (!isValid(sha256)) {
            throw new IllegalArgumentException("not a lower-case hex SHA-256: " + sha256);
        }
        return sha256;
    }

    /** Returns {@code data} if it hashes to {@code sha256}. */
    static byte[] verified(String sha256, byte[] data) throws CorruptChunkException {
        if (!of(data, data.length).equals(sha256)) {
            throw new CorruptChunkException(sha256);
        }
        return data;
    }
}
