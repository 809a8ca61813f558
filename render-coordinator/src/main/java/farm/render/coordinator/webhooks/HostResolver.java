package farm.render.coordinator.webhooks;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Turns a webhook's host name into addresses; asked once per check, and the delivery connects only to what it answered. */
@FunctionalInterface
public interface HostResolver {
    /** The system resolver (DNS, hosts file, IP literals). */
    HostResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

    /** The host's addresses; {@code host} is a name or an IP literal without brackets. */
    List<InetAddress> resolve(String host) throws UnknownHostException;
}
