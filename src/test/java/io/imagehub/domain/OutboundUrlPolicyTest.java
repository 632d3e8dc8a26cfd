package io.imagehub.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A hostile URL corpus against several allow-list shapes, each row with its verdict: "ALLOW " and the normal form
 * that would be fetched, or a piece of the refusal message (which names the part refused). Names resolve through
 * a fixed table, so that the address checks are exercised without DNS.
 */
class OutboundUrlPolicyTest {
    private static final String ALLOW = "ALLOW ";
    private static final Map<String, List<InetAddress>> DNS = Map.ofEntries(
            Map.entry("files.internal", List.of(ip("93.184.216.34"))),
            Map.entry("a.cdn.example.com", List.of(ip("93.184.216.34"))),
            Map.entry("a.b.cdn.example.com", List.of(ip("93.184.216.35"))),
            Map.entry("metadata.cdn.example.com", List.of(ip("169.254.169.254"))),
            Map.entry("mapped.cdn.example.com", List.of(mappedLoopbackAsIpv6())),
            Map.entry("nat64.cdn.example.com", List.of(ip("64:ff9b::a00:1"))),
            Map.entry("ula.cdn.example.com", List.of(ip("fd00::1"))),
            Map.entry("linklocal6.cdn.example.com", List.of(ip("fe80::1"))),
            Map.entry("split.cdn.example.com", List.of(ip("93.184.216.34"), ip("10.1.2.3"))),
            Map.entry("cgnat.cdn.example.com", List.of(ip("100.64.0.1"))),
            Map.entry("multicast.cdn.example.com", List.of(ip("239.1.2.3"))),
            Map.entry("zero.cdn.example.com", List.of(ip("0.0.0.0"))),
            Map.entry("files.corp", List.of(ip("10.1.2.3"))),
            Map.entry("loop.corp", List.of(ip("127.0.0.1"))),
            Map.entry("meta.corp", List.of(ip("169.254.169.254"))));
    private static final HostResolver RESOLVER = host -> {
        List<InetAddress> addresses = DNS.get(host);
        if (addresses == null) {
            throw new UnknownHostException(host);
        }
        return addresses;
    };
    private static final Map<String, OutboundUrlPolicy> SHAPES = Map.of(
            "PUB", policy(List.of("http://127.0.0.1:8080/pub/")),
            "FILES", policy(List.of("http://files.internal")),
            "CDN", policy(List.of("https://*.cdn.example.com/images")),
            "V6", policy(List.of("http://[::1]:9000/")),
            "CORP", new OutboundUrlPolicy("--import-allow", List.of("http://*.corp/"), List.of("10.0.0.0/8"), RESOLVER),
            "NONE", policy(List.of()));

    static Stream<Arguments> corpus() {
        return Stream.of(
                // a named loopback address with a path prefix
                row("PUB", "http://127.0.0.1:8080/pub/disk.raw", ALLOW + "http://127.0.0.1:8080/pub/disk.raw"),
                row("PUB", "http://127.0.0.1:8080/pub/%2e%2e/secret.raw", "'..' segment"),
                row("PUB", "http://127.0.0.1:8080/pub/..%2fsecret.raw", "encoded '/'"),
                row("PUB", "http://127.0.0.1:8080/pub/%2E%2E%2Fsecret.raw", "encoded '/'"),
                row("PUB", "http://127.0.0.1:8080/pub/%252e%252e/secret.raw", "encoded '%'"),
                row("PUB", "http://127.0.0.1:8080/pub/%25252e%25252e/secret.raw", "encoded '%'"),
                row("PUB", "http://127.0.0.1:8080/pub/../secret.raw", "'..' segment"),
                row("PUB", "http://127.0.0.1:8080/pub/.%2e/secret.raw", "'..' segment"),
                row("PUB", "http://127.0.0.1:8080/pub/..;/secret.raw", "'..' segment"),
                row("PUB", "http://127.0.0.1:8080/pub/.;x/secret.raw", "'.' segment with a ';'"),
                row("PUB", "http://127.0.0.1:8080/pub/..%5csecret.raw", "encoded '\\'"),
                row("PUB", "http://127.0.0.1:8080/pub\\..\\secret.raw", "backslash"),
                row("PUB", "http://127.0.0.1:8080/pub/%00.raw", "control character"),
                row("PUB", "http://127.0.0.1:8080/pub/a.raw%0d%0aHost:%20evil", "control character"),
                row("PUB", "http://127.0.0.1:8080/pub/a.raw\r\nHost: evil", "space or control character"),
                row("PUB", "http://127.0.0.1:8080/pub/%zz.raw", "malformed percent-escape"),
                row("PUB", "http://127.0.0.1:8080/pub/./disk.raw", ALLOW + "http://127.0.0.1:8080/pub/disk.raw"),
                row("PUB", "http://127.0.0.1:8080/pub/%2e/disk.raw", ALLOW + "http://127.0.0.1:8080/pub/disk.raw"),
                row("PUB", "http://127.0.0.1:8080/pub/%64isk.raw", ALLOW + "http://127.0.0.1:8080/pub/disk.raw"),
                row("PUB", "http://127.0.0.1:8080/pub/a%2bb.raw", ALLOW + "http://127.0.0.1:8080/pub/a%2Bb.raw"),
                row("PUB", "http://127.0.0.1:8080/p%75b/disk.raw", ALLOW + "http://127.0.0.1:8080/pub/disk.raw"),
                row("PUB", "http://127.0.0.1:8080/pub", ALLOW + "http://127.0.0.1:8080/pub"),
                row("PUB", "http://127.0.0.1:8080/pubx/disk.raw", "the path `/pubx/disk.raw` is not under"),
                row("PUB", "http://127.0.0.1:8080/public/disk.raw", "the path `/public/disk.raw` is not under"),
                row("PUB", "http://127.0.0.1:8080/disk.raw", "the path `/disk.raw`"),
                row("PUB", "http://127.0.0.1:8080//pub/disk.raw", "empty segment"),
                row("PUB", "http://127.0.0.1:8080/pub//disk.raw", "empty segment"),
                row("PUB", "http://127.0.0.1:8081/pub/disk.raw", "the port 8081"),
                row("PUB", "http://127.0.0.1/pub/disk.raw", "the port 80 "),
                row("PUB", "http://127.0.0.1:08080/pub/disk.raw", ALLOW + "http://127.0.0.1:8080/pub/disk.raw"),
                row("PUB", "http://127.0.0.1:0/pub/", "the port `0`"),
                row("PUB", "http://127.0.0.1:65536/pub/", "the port `65536`"),
                row("PUB", "http://127.0.0.1:/pub/", "the port ``"),
                row("PUB", "http://127.0.0.1:80:8080/pub/", "the port `80:8080`"),
                row("PUB", "https://127.0.0.1:8080/pub/disk.raw", "the scheme https"),
                row("PUB", "HTTP://127.0.0.1:8080/pub/disk.raw", ALLOW + "http://127.0.0.1:8080/pub/disk.raw"),
                row("PUB", "file:///etc/passwd", "the scheme `file`"),
                row("PUB", "gopher://127.0.0.1:8080/pub/", "the scheme `gopher`"),
                row("PUB", "http:/127.0.0.1:8080/pub/", "no host"),
                row("PUB", "not a url", "space or control character"),
                row("PUB", "127.0.0.1:8080/pub/disk.raw", "no scheme"),
                // the same address written differently: refused unless in the one canonical form
                row("PUB", "http://2130706433:8080/pub/disk.raw", "unusual form"),
                row("PUB", "http://0x7f.1:8080/pub/disk.raw", "unusual form"),
                row("PUB", "http://0x7f000001:8080/pub/disk.raw", "unusual form"),
                row("PUB", "http://0177.0.0.1:8080/pub/disk.raw", "unusual form"),
                row("PUB", "http://127.1:8080/pub/disk.raw", "unusual form"),
                row("PUB", "http://127.000.000.001:8080/pub/disk.raw", "unusual form"),
                row("PUB", "http://127.0.0.1.:8080/pub/disk.raw", ALLOW + "http://127.0.0.1:8080/pub/disk.raw"),
                row("PUB", "http://[::ffff:127.0.0.1]:8080/pub/disk.raw", ALLOW + "http://127.0.0.1:8080/pub/disk.raw"),
                row("PUB", "http://[::1]:8080/pub/disk.raw", "the host `[0:0:0:0:0:0:0:1]` is not an allowed location"),
                row("PUB", "http://localhost:8080/pub/disk.raw", "the host `localhost` is not an allowed location"),
                row("PUB", "http://127.0.0.2:8080/pub/disk.raw", "the host `127.0.0.2`"),
                // userinfo and fragment tricks
                row("PUB", "http://user@127.0.0.1:8080/pub/disk.raw", "user information"),
                row("PUB", "http://127.0.0.1:8080@evil.example/pub/disk.raw", "user information"),
                row("PUB", "http://evil.example#@127.0.0.1:8080/pub/disk.raw", "fragment"),
                row("PUB", "http://127.0.0.1:8080/pub/disk.raw#part", "fragment"),
                row("PUB", "http://127.0.0.1:8080/pub/disk.raw?sig=a%2Fb&x=1", ALLOW + "http://127.0.0.1:8080/pub/disk.raw?sig=a%2Fb&x=1"),
                row("PUB", "http://127.0.0.1:8080/pub/disk.raw?a=<b>", "the query contains `<`"),
                row("PUB", "http://127.0.0.1:8080/pub/dis k.raw", "space or control character"),
                row("PUB", "http://127.0.0.1:8080/pub/a|b.raw", "the path contains `|`"),
                row("PUB", "http://127.0.0.1:8080/pub/" + "a".repeat(OutboundUrl.MAX_LENGTH), "longer than 8192 characters"),
                row("FILES", "http://" + "a.".repeat(127) + "files.internal/", "host is longer than 253 characters"),
                // an entry without a trailing slash or port matches at boundaries, not as a string prefix
                row("FILES", "http://files.internal/any/disk.raw", ALLOW + "http://files.internal/any/disk.raw"),
                row("FILES", "http://files.internal", ALLOW + "http://files.internal/"),
                row("FILES", "http://files.internal.attacker.example/disk.raw", "the host `files.internal.attacker.example`"),
                row("FILES", "http://files.internalx/disk.raw", "the host `files.internalx`"),
                row("FILES", "http://files.internal:8080/disk.raw", "the port 8080"),
                row("FILES", "http://files.internal:80/disk.raw", ALLOW + "http://files.internal/disk.raw"),
                row("FILES", "http://FILES.Internal./disk.raw", ALLOW + "http://files.internal/disk.raw"),
                row("FILES", "http://files.internal../disk.raw", "not a valid host name"),
                row("FILES", "https://files.internal/disk.raw", "the scheme https"),
                row("FILES", "http://files.internal@attacker.example/disk.raw", "user information"),
                row("FILES", "http://attacker.example\\@files.internal/disk.raw", "backslash"),
                row("FILES", "http://attacker.example%2f@files.internal/disk.raw", "user information"),
                row("FILES", "http://files%2einternal/disk.raw", "percent-escape"),
                row("FILES", "http://fíles.internal/disk.raw", "non-ASCII"),
                row("FILES", "http://files\u3002internal/disk.raw", "non-ASCII"),
                row("FILES", "http://files\uff0einternal/disk.raw", "non-ASCII"),
                row("FILES", "http://xn--fles-7qa.internal/disk.raw", "the host `xn--fles-7qa.internal`"),
                row("FILES", "http://files.internal/%2e%2e/etc/passwd", "'..' segment"),
                // a wildcard entry over public names; the addresses decide too
                row("CDN", "https://a.cdn.example.com/images/disk.raw", ALLOW + "https://a.cdn.example.com/images/disk.raw"),
                row("CDN", "https://a.b.cdn.example.com/images/disk.raw", ALLOW + "https://a.b.cdn.example.com/images/disk.raw"),
                row("CDN", "https://A.CDN.example.com:443/images", ALLOW + "https://a.cdn.example.com/images"),
                row("CDN", "https://cdn.example.com/images/disk.raw", "the host `cdn.example.com`"),
                row("CDN", "https://evilcdn.example.com/images/disk.raw", "the host `evilcdn.example.com`"),
                row("CDN", "https://a.cdn.example.com.evil.example/images/disk.raw", "the host `a.cdn.example.com.evil.example`"),
                row("CDN", "https://a.cdn.example.com/imagesx/disk.raw", "the path `/imagesx/disk.raw`"),
                row("CDN", "http://a.cdn.example.com/images/disk.raw", "the scheme http"),
                row("CDN", "https://metadata.cdn.example.com/images/disk.raw", "resolves to a link-local (cloud metadata) address"),
                row("CDN", "https://mapped.cdn.example.com/images/disk.raw", "resolves to a loopback address"),
                row("CDN", "https://nat64.cdn.example.com/images/disk.raw", "resolves to a private address"),
                row("CDN", "https://ula.cdn.example.com/images/disk.raw", "resolves to a unique local (private) address"),
                row("CDN", "https://linklocal6.cdn.example.com/images/disk.raw", "resolves to a link-local address"),
                row("CDN", "https://split.cdn.example.com/images/disk.raw", "resolves to a private address"),
                row("CDN", "https://cgnat.cdn.example.com/images/disk.raw", "shared address space (CGNAT)"),
                row("CDN", "https://multicast.cdn.example.com/images/disk.raw", "multicast"),
                row("CDN", "https://zero.cdn.example.com/images/disk.raw", "unspecified"),
                row("CDN", "https://unknown.cdn.example.com/images/disk.raw", "could not be resolved"),
                // an IPv6 literal entry
                row("V6", "http://[::1]:9000/disk.raw", ALLOW + "http://[0:0:0:0:0:0:0:1]:9000/disk.raw"),
                row("V6", "http://[0:0:0:0:0:0:0:1]:9000/disk.raw", ALLOW + "http://[0:0:0:0:0:0:0:1]:9000/disk.raw"),
                row("V6", "http://[::1%25lo]:9000/disk.raw", "zone id"),
                row("V6", "http://[fe80::1%eth0]:9000/disk.raw", "zone id"),
                row("V6", "http://[::2]:9000/disk.raw", "the host `[0:0:0:0:0:0:0:2]`"),
                row("V6", "http://[::1]x:9000/disk.raw", "not a valid IPv6 address"),
                row("V6", "http://[1.2.3.4]:9000/disk.raw", "not a valid IPv6 address"),
                row("V6", "http://127.0.0.1:9000/disk.raw", "the host `127.0.0.1`"),
                // names that may resolve into an operator-allowed range, and only into it
                row("CORP", "http://files.corp/disk.raw", ALLOW + "http://files.corp/disk.raw"),
                row("CORP", "http://loop.corp/disk.raw", "resolves to a loopback address"),
                row("CORP", "http://meta.corp/disk.raw", "resolves to a link-local (cloud metadata) address"),
                row("NONE", "http://files.internal/disk.raw", "no location is allowed"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("corpus")
    void eachUrlGetsItsVerdict(String shape, String url, String expected) {
        OutboundUrlPolicy policy = SHAPES.get(shape);
        if (expected.startsWith(ALLOW)) {
            OutboundTarget target = check(policy, url);
            assertThat(target.url().toString()).isEqualTo(expected.substring(ALLOW.length()));
            return;
        }
        OutboundUrlRefused refused = catchThrowableOfType(OutboundUrlRefused.class, () -> policy.check(url));
        assertThat(refused).as("refused").isNotNull();
        assertThat(refused.getMessage()).contains(expected);
        DNS.values().stream().flatMap(List::stream).filter(a -> !url.contains(a.getHostAddress())).forEach(address ->
                assertThat(refused.getMessage()).as("never a resolved address").doesNotContain(address.getHostAddress()));
    }

    @Test
    void aNamedHostIsFetchedFromTheAddressesItWasCheckedWith() {
        OutboundTarget target = check(SHAPES.get("CDN"), "https://a.cdn.example.com/images/disk.raw");
        assertThat(target.addresses()).containsExactly(ip("93.184.216.34"));
        assertThat(target.url().host()).isEqualTo("a.cdn.example.com");
        assertThat(check(SHAPES.get("PUB"), "http://127.0.0.1:8080/pub/a").addresses()).containsExactly(ip("127.0.0.1"));
    }

    @Test
    void ambiguousEntriesAreRefusedAtStartUpWithTheirReason() {
        Map<String, String> entries = Map.of(
                "http://files.internal/?x=1", "may not have a query",
                "http://files.internal/#top", "fragment",
                "http://user@files.internal/", "user information",
                "ftp://files.internal/", "the scheme `ftp`",
                "files.internal/", "no scheme",
                "http://files.internal/a/../b/", "'..' segment",
                "http://files.internal/%2F/", "encoded '/'",
                "http://0x7f.1/", "unusual form",
                "http://*.10.0.0.1/", "`*.` applies to host names");
        entries.forEach((entry, reason) -> assertThatThrownBy(() -> policy(List.of(entry)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--import-allow entry `" + entry + "`")
                .hasMessageContaining(reason));
        Map<String, String> ranges = Map.of("10.0.0.0/33", "prefix length", "10.0.0.1/8", "host bits set",
                "files.internal", "not an IPv4 or IPv6 address range", "fd00::/129", "prefix length");
        ranges.forEach((range, reason) -> assertThatThrownBy(() ->
                new OutboundUrlPolicy("--import-allow", List.of(), List.of(range), RESOLVER))
                .hasMessageStartingWith("--outbound-allow-address `" + range + "`")
                .hasMessageContaining(reason));
    }

    @Test
    void entriesAreNormalisedLikeTheUrlsTheyAdmit() {
        assertThat(AllowedLocation.parse("HTTP://Files.Internal.:80/p%75b").toString())
                .isEqualTo("http://files.internal:80/pub");
        assertThat(AllowedLocation.parse("https://*.CDN.example.com/").toString())
                .isEqualTo("https://*.cdn.example.com:443/");
        assertThat(AllowedLocation.parse("http://[0::1]:9000/pub/").toString())
                .isEqualTo("http://[0:0:0:0:0:0:0:1]:9000/pub");
    }

    @Test
    void addressRangesContainWhatTheySay() {
        AddressRange ten = AddressRange.parse("10.0.0.0/8");
        assertThat(ten.contains(ip("10.255.0.1"))).isTrue();
        assertThat(ten.contains(ip("11.0.0.1"))).isFalse();
        assertThat(ten.contains(ip("fd00::1"))).isFalse();
        AddressRange ula = AddressRange.parse("fd00::/8");
        assertThat(ula.contains(ip("fd12::1"))).isTrue();
        assertThat(ula.contains(ip("fe80::1"))).isFalse();
        assertThat(AddressRange.parse("127.0.0.1").contains(ip("127.0.0.1"))).isTrue();
        assertThat(AddressRange.parse("127.0.0.1").contains(ip("127.0.0.2"))).isFalse();
    }

    private static Arguments row(String shape, String url, String expected) {
        return Arguments.of(shape, url, expected);
    }

    private static OutboundUrlPolicy policy(List<String> entries) {
        return new OutboundUrlPolicy("--import-allow", entries, List.of(), RESOLVER);
    }

    private static OutboundTarget check(OutboundUrlPolicy policy, String url) {
        try {
            return policy.check(url);
        } catch (OutboundUrlRefused e) {
            throw new AssertionError(url + " was refused: " + e.getMessage(), e);
        }
    }

    private static InetAddress ip(String literal) {
        InetAddress address = IpLiteral.parse(literal.contains(":") ? "[" + literal + "]" : literal);
        if (address == null) {
            throw new IllegalArgumentException(literal);
        }
        return address;
    }

    /** ::ffff:127.0.0.1 kept as an Inet6Address (as a resolver may hand it out), not folded to IPv4. */
    private static InetAddress mappedLoopbackAsIpv6() {
        byte[] bytes = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1};
        try {
            return Inet6Address.getByAddress(null, bytes, -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
