package dev.ringmaster.events.notify;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Which URLs notifications may go to. Only http and https, no credentials in the URL, and, unless the operator allows
 * them, no loopback, link-local, private (site-local, unique-local) or wildcard addresses: a subscription must not
 * make Ringmaster call into its own network. The catalog checks a URL when a subscription is saved; the notifier
 * checks the addresses a host resolves to before each delivery (a name can resolve differently later).
 */
public final class Targets {

    /** What the operator allows beyond public addresses. */
    public record Policy(boolean allowLoopback, boolean allowPrivate) {
        public static final Policy STRICT = new Policy(false, false);
    }

    private Targets() {}

    /** Why the URL cannot be a target, judged without resolving names; empty when it can. */
    public static Optional<String> checkUrl(String url, Policy policy) {
        if (url == null || url.isBlank()) {
            return Optional.of("is required");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("must be an http or https URL");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("must not carry credentials; use the subscription's secret");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            return Optional.of("must name a host");
        }
        if (uri.getRawFragment() != null) {
            return Optional.of("must not have a fragment");
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost") || h.endsWith(".localhost")) {
            return policy.allowLoopback() ? Optional.empty() : Optional.of("must not point to this machine (loopback)");
        }
        if (isIpLiteral(h)) {
            try {
                return checkAddress(InetAddress.getByName(stripBrackets(h)), policy);
            } catch (java.net.UnknownHostException e) {
                return Optional.of("has an invalid address");
            }
        }
        return Optional.empty();
    }

    /** Why a resolved address cannot be called; empty when it can. */
    public static Optional<String> checkAddress(InetAddress a, Policy policy) {
        if (a.isLoopbackAddress()) {
            return policy.allowLoopback()
                    ? Optional.empty()
                    : Optional.of("resolves to a loopback address (" + a.getHostAddress() + ")");
        }
        if (a.isAnyLocalAddress() || a.isMulticastAddress()) {
            return Optional.of("resolves to a wildcard or multicast address (" + a.getHostAddress() + ")");
        }
        if (a.isLinkLocalAddress()) {
            // 169.254.0.0/16 holds cloud metadata endpoints: never allowed.
            return Optional.of("resolves to a link-local address (" + a.getHostAddress() + ")");
        }
        if (isPrivate(a)) {
            return policy.allowPrivate()
                    ? Optional.empty()
                    : Optional.of("resolves to a private address (" + a.getHostAddress() + ")");
        }
        return Optional.empty();
    }

    private static boolean isPrivate(InetAddress a) {
        if (a.isSiteLocalAddress()) { // 10/8, 172.16/12, 192.168/16, fec0::/10
            return true;
        }
        byte[] b = a.getAddress();
        if (b.length == 4) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return (first == 100 && second >= 64 && second < 128) // carrier-grade NAT 100.64/10
                    || first == 0; // "this network"
        }
        return (b[0] & 0xfe) == 0xfc; // unique local fc00::/7
    }

    private static boolean isIpLiteral(String host) {
        return host.startsWith("[") || host.matches("[0-9.]+");
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }
}
