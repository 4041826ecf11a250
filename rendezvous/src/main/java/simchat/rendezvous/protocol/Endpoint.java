package simchat.rendezvous.protocol;

import static java.util.Objects.requireNonNull;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A TCP endpoint as it travels on the wire: a literal IP address (never a host name) and a port.
 *
 * @param host an IPv4 or IPv6 literal, e.g. {@code "203.0.113.7"}
 * @param port 1-65535
 */
public record Endpoint(String host, int port) {

    public Endpoint {
        requireNonNull(host, "host");
        // Literals only: a name would make every receiver do a DNS lookup on attacker input.
        if (!NetUtil.isValidIpV4Address(host) && !NetUtil.isValidIpV6Address(host)) {
            throw new IllegalArgumentException("host: \"" + shorten(host) + "\" (expected: an IP address)");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
        }
    }

    /** The endpoint of a resolved socket address, e.g. a channel's remote address. */
    public static Endpoint of(InetSocketAddress address) {
        requireNonNull(address, "address");
        InetAddress ip = address.getAddress();
        if (ip == null) {
            throw new IllegalArgumentException("address: " + address + " (expected: resolved)");
        }
        return new Endpoint(ip.getHostAddress(), address.getPort());
    }

    /** This endpoint as a socket address, without any name lookup. */
    public InetSocketAddress toSocketAddress() {
        return new InetSocketAddress(host, port);
    }

    private static String shorten(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
