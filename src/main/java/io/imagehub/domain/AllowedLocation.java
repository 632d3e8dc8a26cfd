package io.imagehub.domain;

import java.net.InetAddress;
import java.util.List;

/**
 * One allow-list entry such as {@code https://files.example.com/images/} or {@code https://*.cdn.example.com/},
 * parsed and normalised like the URLs it admits ({@link OutboundUrl}) and matched part by part: the host equal (or,
 * for {@code *.suffix}, one or more labels before the suffix), the scheme equal, the port equal (the scheme's
 * default when none is written), and the entry's path a prefix of the URL's path at a segment boundary.
 *
 * @param host        the host, or the suffix after "*." when {@code anySubdomain}
 * @param address     the address when the entry names an IP address, which it then allows even if not public
 * @param pathPrefix  the decoded segments the URL's path must begin with ("/images/" and "/images" both: images)
 */
public record AllowedLocation(String scheme, String host, InetAddress address, boolean anySubdomain, int port,
                              List<String> pathPrefix) {
    /** The part of a URL that kept it from matching, in the order the parts are compared. */
    public enum Part { HOST, SCHEME, PORT, PATH }

    /** Parses an operator's entry; an ambiguous one is refused with a message that says why. */
    public static AllowedLocation parse(String entry) {
        String trimmed = entry.trim();
        int schemeEnd = trimmed.indexOf("://");
        boolean anySubdomain = schemeEnd >= 0 && trimmed.startsWith("*.", schemeEnd + 3);
        String url = anySubdomain ? trimmed.substring(0, schemeEnd + 3) + trimmed.substring(schemeEnd + 5) : trimmed;
        OutboundUrl parsed;
        try {
            parsed = OutboundUrl.parse(url);
        } catch (OutboundUrlRefused e) {
            throw new IllegalArgumentException("`" + entry + "`: " + e.getMessage());
        }
        if (parsed.query() != null) {
            throw new IllegalArgumentException("`" + entry + "`: an entry may not have a query (`?...`)");
        }
        if (anySubdomain && parsed.address() != null) {
            throw new IllegalArgumentException("`" + entry + "`: `*.` applies to host names, not to addresses");
        }
        List<String> prefix = parsed.segments();
        if (prefix.get(prefix.size() - 1).isEmpty()) {
            prefix = prefix.subList(0, prefix.size() - 1);
        }
        return new AllowedLocation(parsed.scheme(), parsed.host(), parsed.address(), anySubdomain, parsed.port(),
                List.copyOf(prefix));
    }

    /** The first part of {@code url} that does not match this entry, or null when it matches. */
    public Part mismatch(OutboundUrl url) {
        if (!(anySubdomain ? url.address() == null && url.host().endsWith("." + host) : url.host().equals(host))) {
            return Part.HOST;
        }
        if (!scheme.equals(url.scheme())) {
            return Part.SCHEME;
        }
        if (port != url.port()) {
            return Part.PORT;
        }
        List<String> segments = url.segments();
        return segments.size() >= pathPrefix.size() && segments.subList(0, pathPrefix.size()).equals(pathPrefix)
                ? null : Part.PATH;
    }

    /** The entry in its normal form, port always written. */
    @Override
    public String toString() {
        return scheme + "://" + (anySubdomain ? "*." : "") + host + ":" + port + "/" + String.join("/", pathPrefix);
    }
}
