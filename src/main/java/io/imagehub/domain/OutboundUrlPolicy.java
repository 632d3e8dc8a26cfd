package io.imagehub.domain;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one decision on every request imagehub makes to a URL a user chose (ImportImage today, webhook deliveries
 * next): the URL is parsed once ({@link OutboundUrl}), must match an operator's allow-list entry part by part
 * ({@link AllowedLocation}), and its host must resolve only to public addresses, unless the entry names the
 * address itself or the address lies in a range the operator allowed. The answer carries the checked addresses,
 * which are the only ones the request may connect to (docs/adr/0011-outbound-url-policy.md).
 */
public final class OutboundUrlPolicy {
    /** The audit event of a request to a URL the policy refused (its outcome: the error code answered). */
    public static final String AUDIT_URL_REFUSED = "OutboundUrlRefused";

    private final List<AllowedLocation> locations;
    private final List<AddressRange> allowedAddresses;
    private final HostResolver resolver;

    /**
     * {@code entries} are the allow-list as the operator wrote it, {@code listName} its flag (for the messages
     * that refuse an ambiguous entry at start-up); {@code allowedAddresses} are CIDR ranges of non-public addresses
     * that allowed host names may resolve to.
     */
    public OutboundUrlPolicy(String listName, List<String> entries, List<String> allowedAddresses,
                             HostResolver resolver) {
        this.locations = new ArrayList<>();
        for (String entry : entries) {
            try {
                locations.add(AllowedLocation.parse(entry));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(listName + " entry " + e.getMessage());
            }
        }
        this.allowedAddresses = new ArrayList<>();
        for (String range : allowedAddresses) {
            try {
                this.allowedAddresses.add(AddressRange.parse(range.trim()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--outbound-allow-address " + e.getMessage());
            }
        }
        this.resolver = resolver;
    }

    /** The target to connect to for {@code url}, or the refusal that names the part of it that is not allowed. */
    public OutboundTarget check(String url) throws OutboundUrlRefused {
        OutboundUrl parsed = OutboundUrl.parse(url);
        requireAllowedLocation(parsed);
        if (parsed.address() != null) { // an address literal matches only an entry that names that same address
            return new OutboundTarget(parsed, List.of(parsed.address()));
        }
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(parsed.host());
        } catch (UnknownHostException e) {
            throw new OutboundUrlRefused("the host `" + parsed.host() + "` could not be resolved");
        }
        if (addresses.isEmpty()) {
            throw new OutboundUrlRefused("the host `" + parsed.host() + "` could not be resolved");
        }
        for (InetAddress address : addresses) {
            Optional<String> kind = NonPublicAddresses.kind(address);
            if (kind.isPresent() && allowedAddresses.stream().noneMatch(range -> range.contains(address))) {
                throw new OutboundUrlRefused("the host `" + parsed.host() + "` resolves to a " + kind.get()
                        + " address, which the operator has not allowed");
            }
        }
        return new OutboundTarget(parsed, addresses);
    }

    /** Refuses {@code url} unless an entry matches it, naming the part that failed in the closest entry. */
    private void requireAllowedLocation(OutboundUrl url) throws OutboundUrlRefused {
        AllowedLocation.Part closest = null;
        for (AllowedLocation location : locations) {
            AllowedLocation.Part mismatch = location.mismatch(url);
            if (mismatch == null) {
                return;
            }
            if (closest == null || mismatch.compareTo(closest) > 0) {
                closest = mismatch;
            }
        }
        String where = url.scheme() + "://" + url.host() + ":" + url.port();
        throw new OutboundUrlRefused(closest == null ? "no location is allowed"
                : switch (closest) {
                    case HOST -> "the host `" + url.host() + "` is not an allowed location";
                    case SCHEME -> "the scheme " + url.scheme() + " is not allowed for `" + url.host() + "`";
                    case PORT -> "the port " + url.port() + " of `" + url.host() + "` is not an allowed location";
                    case PATH -> "the path `" + url.path() + "` is not under an allowed location of " + where;
                });
    }
}
