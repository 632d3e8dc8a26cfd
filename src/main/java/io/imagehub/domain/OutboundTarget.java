package io.imagehub.domain;

import java.net.InetAddress;
import java.util.List;

/**
 * A URL the {@link OutboundUrlPolicy} allowed, with the addresses it checked: the request is made to one of these
 * and never to a second resolution of the host name, so DNS cannot switch the target after the check.
 */
public record OutboundTarget(OutboundUrl url, List<InetAddress> addresses) {
    public OutboundTarget {
        addresses = List.copyOf(addresses);
    }
}
