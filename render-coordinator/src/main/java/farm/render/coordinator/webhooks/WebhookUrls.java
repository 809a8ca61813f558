package farm.render.coordinator.webhooks;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/** Which URLs a webhook may name: absolute http(s) URLs, and unless allowed, only to public addresses. */
public final class WebhookUrls {
    static final int MAX_LENGTH = 2048;

    private WebhookUrls() {
    }

    /** Why the URL cannot be a webhook, or empty when it can; resolves the host name to check its addresses. */
    public static Optional<String> problem(String url, boolean allowPrivateAddresses) {
        if (url.length() > MAX_LENGTH) {
            return Optional.of("webhookUrl is longer than " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("webhookUrl is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("webhookUrl must be an http or https URL, not '" + (scheme.isEmpty() ? url : scheme + ":") + "'");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return Optional.of("webhookUrl names no host");
        }
        if (uri.getUserInfo() != null) {
            return Optional.of("webhookUrl must not carry a user name or password");
        }
        if (allowPrivateAddresses) {
            return Optional.empty();
        }
        return privateAddress(uri.getHost()).map(a -> "webhookUrl's host " + uri.getHost() + " is an internal address (" + a
                + "); webhooks go to public addresses only");
    }

    /** The first internal address the host resolves to, or empty when all are public; unresolvable hosts count as internal. */
    static Optional<String> privateAddress(String host) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            return Optional.of("unknown host");
        }
        for (InetAddress a : addresses) {
            if (internal(a)) {
                return Optional.of(a.getHostAddress());
            }
        }
        return Optional.empty();
    }

    /** Loopback, private (RFC 1918, fc00::/7), link-local, carrier-grade NAT, multicast, unspecified or this-network. */
    static boolean internal(InetAddress a) {
        if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 || (first == 100 && second >= 64 && second < 128) || (first == 198 && (second == 18 || second == 19))
                    || (first == 192 && second == 0 && (b[2] & 0xff) == 0) || first >= 240;
        }
        return a instanceof Inet6Address && (b[0] & 0xfe) == 0xfc;
    }
}
