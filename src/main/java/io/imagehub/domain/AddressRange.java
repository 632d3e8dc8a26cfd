package io.imagehub.domain;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** An IPv4 or IPv6 CIDR range such as {@code 10.0.0.0/8} or {@code fd00::/8}; a bare address is a range of one. */
public final class AddressRange {
    private final byte[] network;
    private final int prefixLength;

    private AddressRange(byte[] network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /** Parses {@code address[/prefix]}; the address is written as {@link IpLiteral} accepts it. */
    public static AddressRange parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        InetAddress parsed = IpLiteral.parse(address.startsWith("[") || !address.contains(":")
                ? address : "[" + address + "]");
        if (parsed == null) {
            throw new IllegalArgumentException("`" + text + "` is not an IPv4 or IPv6 address range (a.b.c.d/n or x::/n)");
        }
        byte[] bytes = parsed.getAddress();
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String digits = text.substring(slash + 1);
            if (!digits.matches("[0-9]{1,3}") || Integer.parseInt(digits) > bits) {
                throw new IllegalArgumentException("`" + text + "` has a prefix length that is not 0-" + bits);
            }
            prefix = Integer.parseInt(digits);
        }
        byte[] network = mask(bytes, prefix);
        if (!Arrays.equals(network, bytes)) {
            throw new IllegalArgumentException("`" + text + "` has host bits set; the range starts at "
                    + new AddressRange(network, prefix));
        }
        return new AddressRange(network, prefix);
    }

    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == network.length && Arrays.equals(mask(bytes, prefixLength), network);
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] masked = address.clone();
        for (int i = 0; i < masked.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            masked[i] &= (byte) (0xff00 >> keep);
        }
        return masked;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength;
        } catch (UnknownHostException impossible) { // only for a wrong length, and ours is 4 or 16
            throw new IllegalStateException(impossible);
        }
    }
}
