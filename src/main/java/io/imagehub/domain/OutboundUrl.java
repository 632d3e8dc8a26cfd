package io.imagehub.domain;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An http(s) URL parsed once, strictly, into the parts an outbound request is decided on and made with. Anything
 * two parsers could read differently is refused rather than guessed: userinfo, backslashes, fragments, non-ASCII
 * or control characters, encoded '/', '\' or '%' in the path, '..' segments (literal or encoded), unusual IPv4
 * forms, IPv6 zone ids. The path is normalised as RFC 3986 section 6.2.2 says (percent-encoded unreserved
 * characters decoded, hex digits upper-cased, '.' segments removed), and that normal form is what is requested.
 *
 * @param host     lower case, without a trailing dot; an IP address in its canonical text form (IPv6 in brackets)
 * @param address  the address when the host is an IP literal, else null
 * @param segments the decoded path segments ("/a/b/" is a, b and an empty last segment)
 * @param path     the normalised path as sent
 * @param query    the raw query (checked for syntax only), or null
 */
public record OutboundUrl(String scheme, String host, InetAddress address, int port, List<String> segments,
                          String path, String query) {
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*");
    private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?"
            + "(\\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*");
    private static final String UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
    private static final String PATH_CHARS = UNRESERVED + "!$&'()*+,;=:@%";
    private static final String QUERY_CHARS = PATH_CHARS + "/?";

    /** Longer URLs are refused before any other check (presigned object-store URLs are 1-2 KB). */
    public static final int MAX_LENGTH = 8192;

    /** Parses {@code text}, or says which part of it is refused. */
    public static OutboundUrl parse(String text) throws OutboundUrlRefused {
        if (text.length() > MAX_LENGTH) {
            throw new OutboundUrlRefused("the URL is longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                throw new OutboundUrlRefused("the URL contains a backslash");
            }
            if (c <= 0x20 || c >= 0x7f) {
                throw new OutboundUrlRefused(c > 0x7f
                        ? "the URL contains a non-ASCII character (write a host name in its xn-- form, percent-encode the path)"
                        : "the URL contains a space or control character");
            }
        }
        int colon = text.indexOf(':');
        if (colon < 0 || !SCHEME.matcher(text.substring(0, colon)).matches()) {
            throw new OutboundUrlRefused("the URL has no scheme");
        }
        String scheme = text.substring(0, colon).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new OutboundUrlRefused("the scheme `" + scheme + "` is not http or https");
        }
        if (!text.startsWith("//", colon + 1)) {
            throw new OutboundUrlRefused("the URL has no host (`" + scheme + "://host/...`)");
        }
        int fragment = text.indexOf('#');
        if (fragment >= 0) {
            throw new OutboundUrlRefused("the URL has a fragment (`#...`)");
        }
        int authorityStart = colon + 3;
        int authorityEnd = authorityStart;
        while (authorityEnd < text.length() && "/?".indexOf(text.charAt(authorityEnd)) < 0) {
            authorityEnd++;
        }
        String authority = text.substring(authorityStart, authorityEnd);
        if (authority.contains("@")) {
            throw new OutboundUrlRefused("the URL has user information (`...@`)");
        }
        int queryStart = text.indexOf('?', authorityEnd);
        String rawPath = text.substring(authorityEnd, queryStart < 0 ? text.length() : queryStart);
        String query = queryStart < 0 ? null : text.substring(queryStart + 1);
        if (query != null) {
            checkCharacters(query, QUERY_CHARS, "query");
        }

        int portColon = authority.startsWith("[") ? authority.indexOf(':', Math.max(0, authority.indexOf(']')))
                : authority.indexOf(':');
        String hostText = portColon < 0 ? authority : authority.substring(0, portColon);
        int defaultPort = scheme.equals("https") ? 443 : 80;
        int port = portColon < 0 ? defaultPort : port(authority.substring(portColon + 1));
        if (hostText.isEmpty()) {
            throw new OutboundUrlRefused("the URL has no host");
        }
        String host = hostText.toLowerCase(Locale.ROOT);
        InetAddress address = host.startsWith("[") ? ipv6(host) : ipv4OrName(host);
        if (address != null) {
            host = address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
        } else if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }

        List<String> segments = new ArrayList<>();
        StringBuilder path = new StringBuilder();
        String[] rawSegments = (rawPath.isEmpty() ? "/" : rawPath).substring(1).split("/", -1);
        for (int i = 0; i < rawSegments.length; i++) {
            boolean last = i == rawSegments.length - 1;
            Segment segment = segment(rawSegments[i]);
            if (segment.decoded.isEmpty() && !last) {
                throw new OutboundUrlRefused("the path has an empty segment (`//`)");
            }
            if (segment.decoded.equals(".")) {
                if (last) { // "/a/." is "/a/"
                    segments.add("");
                    path.append('/');
                }
                continue;
            }
            segments.add(segment.decoded);
            path.append('/').append(segment.normalised);
        }
        return new OutboundUrl(scheme, host, address, port, List.copyOf(segments), path.toString(), query);
    }

    public boolean hasDefaultPort() {
        return port == (scheme.equals("https") ? 443 : 80);
    }

    /** The URL in its normal form: what is fetched, recorded and shown. */
    @Override
    public String toString() {
        return scheme + "://" + host + (hasDefaultPort() ? "" : ":" + port) + path + (query == null ? "" : "?" + query);
    }

    /** The last path segment, decoded (the file name). */
    public String fileName() {
        return segments.isEmpty() ? "" : segments.get(segments.size() - 1);
    }

    private record Segment(String decoded, String normalised) {
    }

    /**
     * Decodes one raw path segment. Refused: malformed escapes, encoded '/', '\', '%' (a server that decodes
     * twice would see a different path than the one checked) and control characters, and any '..' segment,
     * also one with a ';' parameter ("..;x"), which Tomcat and Jetty treat as "..".
     */
    private static Segment segment(String raw) throws OutboundUrlRefused {
        checkCharacters(raw, PATH_CHARS, "path");
        StringBuilder decoded = new StringBuilder();
        StringBuilder normalised = new StringBuilder();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                decoded.append(c);
                normalised.append(c);
                continue;
            }
            if (i + 2 >= raw.length() || !HexFormat.isHexDigit(raw.charAt(i + 1))
                    || !HexFormat.isHexDigit(raw.charAt(i + 2))) {
                throw new OutboundUrlRefused("the path has a malformed percent-escape");
            }
            char b = (char) HexFormat.fromHexDigits(raw, i + 1, i + 3);
            switch (b) {
                case '/' -> throw new OutboundUrlRefused("the path contains an encoded '/' (%2F)");
                case '\\' -> throw new OutboundUrlRefused("the path contains an encoded '\\' (%5C)");
                case '%' -> throw new OutboundUrlRefused("the path contains an encoded '%' (%25, double encoding)");
                default -> {
                    if (b < 0x20 || b == 0x7f) {
                        throw new OutboundUrlRefused("the path contains an encoded control character");
                    }
                }
            }
            decoded.append(b);
            normalised.append(UNRESERVED.indexOf(b) >= 0 ? String.valueOf(b)
                    : raw.substring(i, i + 3).toUpperCase(Locale.ROOT));
            i += 2;
        }
        String withoutParameter = decoded.toString().replaceFirst(";.*", "");
        if (withoutParameter.equals("..")) {
            throw new OutboundUrlRefused("the path contains a '..' segment");
        }
        if (withoutParameter.equals(".") && !decoded.toString().equals(".")) {
            throw new OutboundUrlRefused("the path contains a '.' segment with a ';' parameter");
        }
        return new Segment(decoded.toString(), normalised.toString());
    }

    private static void checkCharacters(String text, String allowed, String part) throws OutboundUrlRefused {
        for (int i = 0; i < text.length(); i++) {
            if (allowed.indexOf(text.charAt(i)) < 0) {
                throw new OutboundUrlRefused("the " + part + " contains `" + text.charAt(i) + "`; percent-encode it");
            }
        }
    }

    private static int port(String digits) throws OutboundUrlRefused {
        if (!digits.matches("[0-9]{1,5}") || Integer.parseInt(digits) < 1 || Integer.parseInt(digits) > 65535) {
            throw new OutboundUrlRefused("the port `" + digits + "` is not a number from 1 to 65535");
        }
        return Integer.parseInt(digits);
    }

    private static InetAddress ipv6(String host) throws OutboundUrlRefused {
        if (host.contains("%")) {
            throw new OutboundUrlRefused("the host has an IPv6 zone id (`%...`)");
        }
        InetAddress address = IpLiteral.parse(host);
        if (address == null) {
            throw new OutboundUrlRefused("the host `" + host + "` is not a valid IPv6 address");
        }
        return address;
    }

    private static InetAddress ipv4OrName(String host) throws OutboundUrlRefused {
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (name.length() > 253) {
            throw new OutboundUrlRefused("the host is longer than 253 characters");
        }
        if (IpLiteral.looksLikeIpv4(name)) {
            InetAddress address = IpLiteral.parse(name);
            if (address == null) {
                throw new OutboundUrlRefused("the host `" + host + "` is a numeric address in an unusual form; "
                        + "write IPv4 addresses as four decimal numbers (a.b.c.d)");
            }
            return address;
        }
        if (name.isEmpty() || !HOST_NAME.matcher(name).matches()) {
            throw new OutboundUrlRefused(name.contains("%") ? "the host contains a percent-escape"
                    : "the host `" + host + "` is not a valid host name");
        }
        return null;
    }
}
