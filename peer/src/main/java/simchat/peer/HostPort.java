package simchat.peer;

import static java.util.Objects.requireNonNull;

/** A host name or literal address with a port, as typed: {@code host:port}, {@code 10.0.0.2:8000}, {@code [::1]:8000}. */
public record HostPort(String host, int port) {

    public HostPort {
        requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("host: empty (expected: a name or an address)");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
        }
    }

    /** Parses {@code HOST:PORT}; IPv6 addresses go in brackets. */
    public static HostPort parse(String text) {
        return parse(text, 0);
    }

    /**
     * Parses {@code HOST:PORT}, or {@code HOST} alone when {@code defaultPort} (1-65535) stands for the port;
     * IPv6 addresses go in brackets ({@code [::1]:8000}, {@code [::1]}).
     */
    public static HostPort parse(String text, int defaultPort) {
        String expected = defaultPort > 0 ? "HOST[:PORT], or [IPv6-address][:PORT]" : "HOST:PORT, or [IPv6-address]:PORT";
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            boolean bare = close == text.length() - 1 && defaultPort > 0;
            if (close < 0 || !bare && !text.startsWith("]:", close)) {
                throw new IllegalArgumentException("'" + text + "' (expected: " + expected + ")");
            }
            host = text.substring(1, close);
            port = bare ? String.valueOf(defaultPort) : text.substring(close + 2);
        } else {
            int colon = text.lastIndexOf(':');
            if (colon < 0 && defaultPort > 0) {
                return new HostPort(text, defaultPort);
            }
            if (colon < 0 || text.indexOf(':') != colon) {
                throw new IllegalArgumentException("'" + text + "' (expected: " + expected + ")");
            }
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
        }
        try {
            return new HostPort(host, Integer.parseInt(port));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port: '" + port + "' (expected: 1-65535)");
        }
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
