package io.imagehub.domain;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * IP addresses written in a URL host, parsed without any name lookup. IPv4 only as four decimal numbers without
 * leading zeros; IPv6 only in brackets, without a zone id. Every other numeric form ({@code 2130706433},
 * {@code 0x7f.1}, {@code 0177.0.0.1}, {@code 127.1}) is refused: libraries disagree on what they mean.
 */
final class IpLiteral {
    private static final Pattern OCTET = Pattern.compile("0|[1-9][0-9]{0,2}");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-fA-F:.]+]");
    /** A host whose last label is a number (decimal, or 0x hex) is an IPv4 address to every URL parser. */
    private static final Pattern NUMERIC_LAST_LABEL = Pattern.compile("(?:^|.*\\.)(?:[0-9]+|0[xX][0-9a-fA-F]*)");

    private IpLiteral() {
    }

    /** True for a host that a URL parser would read as an IPv4 address in some form. */
    static boolean looksLikeIpv4(String host) {
        return NUMERIC_LAST_LABEL.matcher(host).matches();
    }

    /** The address {@code text} (a.b.c.d, or [IPv6]) stands for; null when it is not written in one of those forms. */
    static InetAddress parse(String text) {
        if (IPV6.matcher(text).matches()) {
            try {
                return InetAddress.getByName(text); // a bracketed literal is parsed, never looked up
            } catch (UnknownHostException malformed) {
                return null;
            }
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (!OCTET.matcher(parts[i]).matches() || Integer.parseInt(parts[i]) > 255) {
                return null;
            }
            bytes[i] = (byte) Integer.parseInt(parts[i]);
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
