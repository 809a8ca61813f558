package farm.render.coordinator.webhooks;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which URLs a webhook may name: absolute http(s) URLs, and unless allowed, only to public addresses.
 * Every IPv6 form that carries an IPv4 address (IPv4-mapped and -translated, IPv4-compatible, NAT64
 * 64:ff9b::/96 and 64:ff9b:1::/48, 6to4 2002::/16, Teredo 2001::/32, ISATAP ::5efe:a.b.c.d) is refused
 * whatever the IPv4 address inside, as a literal or as a resolved address: such a form can reach a
 * host the IPv4 check never saw, and a receiver can always be named by its plain IPv4 or IPv6 address.
 */
public final class WebhookUrls {
    static final int MAX_LENGTH = 2048;

    private WebhookUrls() {
    }

    /** The outcome of {@link #check}: where a delivery may go, or why it may not. */
    public sealed interface Checked permits Target, Refused {
    }

    /**
     * A URL that passed the check. A delivery connects to these {@code addresses} (the very ones checked) and
     * names {@code host} in the Host header and in TLS (SNI and certificate check).
     *
     * @param host the URL's host without IPv6 brackets
     */
    public record Target(URI uri, boolean tls, String host, int port, List<InetAddress> addresses) implements Checked {
        public Target {
            addresses = List.copyOf(addresses);
        }
    }

    public record Refused(String reason) implements Checked {
    }

    /** Why the URL cannot be a webhook, or empty when it can; resolves the host name to check its addresses. */
    public static Optional<String> problem(String url, boolean allowPrivateAddresses) {
        Checked checked = allowPrivateAddresses ? parse(url) : check(url, false, HostResolver.SYSTEM);
        return checked instanceof Refused r ? Optional.of(r.reason()) : Optional.empty();
    }

    /**
     * Checks the URL and resolves its host once; the answer carries every address the host resolved to, all of
     * them public unless {@code allowPrivateAddresses}. Unresolvable hosts are refused.
     */
    public static Checked check(String url, boolean allowPrivateAddresses, HostResolver resolver) {
        Checked parsed = parse(url);
        if (!(parsed instanceof Target t)) {
            return parsed;
        }
        List<InetAddress> addresses;
        try {
            addresses = literal(t.host()).map(List::of).orElse(null);
            if (addresses == null) {
                addresses = resolver.resolve(t.host());
            }
        } catch (UnknownHostException e) {
            return new Refused("webhookUrl's host " + t.host() + " is unknown");
        }
        if (addresses.isEmpty()) {
            return new Refused("webhookUrl's host " + t.host() + " is unknown");
        }
        if (!allowPrivateAddresses) {
            if (t.uri().getHost().startsWith("[") && addresses.get(0) instanceof Inet4Address) {
                return refusedEmbedding(t, "IPv4-mapped embedding IPv4 " + addresses.get(0).getHostAddress());
            }
            for (InetAddress a : addresses) {
                Optional<String> why = internal(a);
                if (why.isPresent() && a instanceof Inet6Address && why.equals(embedsIpv4(a.getAddress()))) {
                    return refusedEmbedding(t, a.getHostAddress() + ": " + why.get());
                }
                if (why.isPresent()) {
                    return new Refused("webhookUrl's host " + t.uri().getHost() + " is an internal address (" + a.getHostAddress()
                            + ": " + why.get() + "); webhooks go to public addresses only");
                }
            }
        }
        return new Target(t.uri(), t.tls(), t.host(), t.port(), addresses);
    }

    private static Refused refusedEmbedding(Target t, String why) {
        return new Refused("webhookUrl's host " + t.uri().getHost() + " is an IPv6 address that embeds an IPv4 address (" + why
                + "); webhooks go to public addresses only: name the receiver by its plain IPv4 or IPv6 address");
    }

    /** The URL's form alone: scheme, host, no credentials; the answer's addresses are empty. */
    private static Checked parse(String url) {
        if (url.length() > MAX_LENGTH) {
            return new Refused("webhookUrl is longer than " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return new Refused("webhookUrl is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return new Refused("webhookUrl must be an http or https URL, not '" + (scheme.isEmpty() ? url : scheme + ":") + "'");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return new Refused("webhookUrl names no host");
        }
        if (uri.getUserInfo() != null) {
            return new Refused("webhookUrl must not carry a user name or password");
        }
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        boolean tls = scheme.equals("https");
        return new Target(uri, tls, host, uri.getPort() >= 0 ? uri.getPort() : tls ? 443 : 80, List.of());
    }

    /** The address an IP literal names (never asking DNS), or empty for a host name. */
    private static Optional<InetAddress> literal(String host) throws UnknownHostException {
        return isIpLiteral(host) ? Optional.of(InetAddress.getByName(host)) : Optional.empty();
    }

    /** Whether the host (without brackets) is written as an IP address rather than a name. */
    static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.matches("[0-9.]+");
    }

    /**
     * Why the address is not public: loopback, private (RFC 1918, fc00::/7), link-local, carrier-grade NAT,
     * multicast, unspecified, this-network, reserved, documentation or benchmarking, or an IPv6 form that
     * embeds an IPv4 address; empty for a public address.
     */
    static Optional<String> internal(InetAddress a) {
        if (a.isAnyLocalAddress()) {
            return Optional.of("unspecified");
        }
        if (a.isLoopbackAddress()) {
            return Optional.of("loopback");
        }
        if (a.isLinkLocalAddress()) {
            return Optional.of("link-local");
        }
        if (a.isSiteLocalAddress()) {
            return Optional.of("private");
        }
        if (a.isMulticastAddress()) {
            return Optional.of("multicast");
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            int third = b[2] & 0xff;
            boolean reserved = first == 0 || (first == 100 && second >= 64 && second < 128) || (first == 198 && (second == 18 || second == 19))
                    || (first == 192 && second == 0 && (third == 0 || third == 2)) || (first == 198 && second == 51 && third == 100)
                    || (first == 203 && second == 0 && third == 113) || first >= 240;
            return reserved ? Optional.of("reserved") : Optional.empty();
        }
        if (!(a instanceof Inet6Address)) {
            return Optional.of("not an IP address");
        }
        Optional<String> embedding = embedsIpv4(b);
        if (embedding.isPresent()) {
            return embedding;
        }
        if ((b[0] & 0xfe) == 0xfc) {
            return Optional.of("unique local");
        }
        if ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0xc0) {
            return Optional.of("site-local");
        }
        if (prefix(b, 0x01, 0x00, 0, 0, 0, 0, 0, 0)) {
            return Optional.of("discard-only 100::/64");
        }
        if (prefix(b, 0x20, 0x01, 0x0d, 0xb8)) {
            return Optional.of("documentation 2001:db8::/32");
        }
        return Optional.empty();
    }

    /** Which IPv4-embedding IPv6 form the 16 bytes are, with the IPv4 address they carry; empty for none. */
    static Optional<String> embedsIpv4(byte[] b) {
        String form;
        String v4 = (b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "." + (b[15] & 0xff);
        if (prefix(b, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff)) {
            form = "IPv4-mapped";
        } else if (prefix(b, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0)) {
            form = "IPv4-translated";
        } else if (prefix(b, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)) {
            form = "IPv4-compatible";
        } else if (prefix(b, 0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0)) {
            form = "NAT64 64:ff9b::/96";
        } else if (prefix(b, 0x00, 0x64, 0xff, 0x9b, 0x00, 0x01)) {
            form = "NAT64 64:ff9b:1::/48";
        } else if (prefix(b, 0x20, 0x02)) {
            form = "6to4 2002::/16";
            v4 = (b[2] & 0xff) + "." + (b[3] & 0xff) + "." + (b[4] & 0xff) + "." + (b[5] & 0xff);
        } else if (prefix(b, 0x20, 0x01, 0x00, 0x00)) {
            form = "Teredo 2001::/32";
            v4 = (~b[12] & 0xff) + "." + (~b[13] & 0xff) + "." + (~b[14] & 0xff) + "." + (~b[15] & 0xff); // the client's address, inverted
        } else if ((b[8] & 0xfd) == 0 && b[9] == 0 && (b[10] & 0xff) == 0x5e && (b[11] & 0xff) == 0xfe) {
            form = "ISATAP";
        } else {
            return Optional.empty();
        }
        return Optional.of(form + " embedding IPv4 " + v4);
    }

    private static boolean prefix(byte[] b, int... bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if ((b[i] & 0xff) != bytes[i]) {
                return false;
            }
        }
        return true;
    }
}
