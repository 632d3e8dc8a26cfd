package io.imagehub.outbound;

import io.imagehub.domain.HostResolver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** The JVM's resolver (the system's DNS and hosts file, or {@code -Djdk.net.hosts.file}). */
public final class SystemHostResolver implements HostResolver {
    @Override
    public List<InetAddress> resolve(String host) throws UnknownHostException {
        return List.of(InetAddress.getAllByName(host));
    }
}
