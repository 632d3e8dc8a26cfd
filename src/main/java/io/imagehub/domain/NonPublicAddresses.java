package io.imagehub.domain;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Addresses an outbound request must not reach unless the operator allows them by name: the machine itself, the
 * networks around it, cloud metadata endpoints, multicast. IPv6 forms that carry an IPv4 address (mapped, NAT64,
 * 6to4) are judged by the IPv4 address they carry.
 */
final class NonPublicAddresses {
    private static final Map<AddressRange, String> RANGES = new LinkedHashMap<>();

    static {
        range("0.0.0.0/8", "unspecified (this network)");
        range("10.0.0.0/8", "private");
        range("100.64.0.0/10", "shared address space (CGNAT)");
        range("127.0.0.0/8", "loopback");
        range("169.254.0.0/16", "link-local (cloud metadata)");
        range("172.16.0.0/12", "private");
        range("192.0.0.0/24", "IETF protocol assignments");
        range("192.168.0.0/16", "private");
        range("198.18.0.0/15", "benchmarking");
        range("224.0.0.0/4", "multicast");
        range("240.0.0.0/4", "reserved or broadcast");
        range("::/96", "unspecified, loopback or IPv4-compatible");
        range("2001::/32", "Teredo");
        range("fc00::/7", "unique local (private)");
        range("fe80::/10", "link-local");
        range("fec0::/10", "site-local");
        range("ff00::/8", "multicast");
    }

    private static final AddressRange NAT64 = AddressRange.parse("64:ff9b::/96");
    private static final AddressRange SIX_TO_FOUR = AddressRange.parse("2002::/16");

    private NonPublicAddresses() {
    }

    private static void range(String cidr, String kind) {
        RANGES.put(AddressRange.parse(cidr), kind);
    }

    /** What kind of non-public address {@code address} is, or empty for a public one. */
    static Optional<String> kind(InetAddress address) {
        InetAddress judged = embeddedIpv4(address);
        return RANGES.entrySet().stream().filter(e -> e.getKey().contains(judged)).map(Map.Entry::getValue).findFirst();
    }

    /** The IPv4 address an IPv6 address carries (mapped ::ffff:a.b.c.d, NAT64, 6to4), else the address itself. */
    private static InetAddress embeddedIpv4(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length != 16) {
            return address;
        }
        boolean mapped = bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff
                && Arrays.equals(Arrays.copyOf(bytes, 10), new byte[10]);
        byte[] v4 = mapped || NAT64.contains(address) ? Arrays.copyOfRange(bytes, 12, 16)
                : SIX_TO_FOUR.contains(address) ? Arrays.copyOfRange(bytes, 2, 6) : null;
        if (v4 == null) {
            return address;
        }
        try {
            return InetAddress.getByAddress(v4);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
