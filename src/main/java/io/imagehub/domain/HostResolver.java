package io.imagehub.domain;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Port: the addresses a host name stands for (DNS at the edge, a fixed table in tests). */
public interface HostResolver {
    /** Every address of {@code host} (an ASCII host name, never an address literal); at least one. */
    List<InetAddress> resolve(String host) throws UnknownHostException;
}
