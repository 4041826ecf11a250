package simchat.peer.dial;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;

/** Facts about addresses that the dialer needs. */
public final class Endpoints {

    private Endpoints() {
    }

    /** Whether packets to this address stay on this host (loopback, wildcard or one of our interfaces). */
    public static boolean isOnThisHost(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress()) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return false;
        }
    }

    /** {@code 10.0.0.2:8000} or {@code [fd00::2]:8000}. */
    public static String text(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
