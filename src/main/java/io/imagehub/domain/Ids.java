package io.imagehub.domain;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/** Resource identifiers in Tencent's shapes (spec 5.10). */
public final class Ids {
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final String KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    public static final Pattern IMAGE_ID = Pattern.compile("img-[a-z0-9]{8}");
    public static final Pattern INSTANCE_ID = Pattern.compile("ins-[a-z0-9]{8}");
    public static final Pattern WEBHOOK_ID = Pattern.compile("wh-[a-z0-9]{8}");
    public static final Pattern ACCOUNT_ID = Pattern.compile("[1-9][0-9]{4,19}");

    private Ids() {
    }

    public static String imageId() {
        return "img-" + random(ALPHABET, 8);
    }

    public static String instanceId() {
        return "ins-" + random(ALPHABET, 8);
    }

    public static String webhookId() {
        return "wh-" + random(ALPHABET, 8);
    }

    public static String diskId() {
        return "disk-" + random(ALPHABET, 8);
    }

    /** A root account id: 12 decimal digits, like Tencent's (e.g. 103849387508). */
    public static String accountId() {
        return Long.toString(100_000_000_000L + (long) (RANDOM.nextDouble() * 899_999_999_999L));
    }

    public static String secretId() {
        return "AKID" + random(KEY_ALPHABET, 32);
    }

    public static String secretKey() {
        return random(KEY_ALPHABET, 32);
    }

    public static String random(String alphabet, int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = alphabet.charAt(RANDOM.nextInt(alphabet.length()));
        }
        return new String(out);
    }
}
