package simchat.rendezvous;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts connections per IP address that have not sent {@code join} or {@code probe} yet, and caps
 * them, so that one host cannot fill the rendezvous with silent or dribbling connections. Confined
 * to the rendezvous' one event loop, like the rooms.
 */
final class PendingConnections {

    private final int maxPerAddress;
    private final Map<InetAddress, Integer> byAddress = new HashMap<>();

    PendingConnections(int maxPerAddress) {
        if (maxPerAddress < 1) {
            throw new IllegalArgumentException("maxPerAddress: " + maxPerAddress + " (expected: >= 1)");
        }
        this.maxPerAddress = maxPerAddress;
    }

    /** Counts a new connection from {@code address}, or returns false if it already has the most allowed. */
    boolean admit(InetAddress address) {
        int count = byAddress.getOrDefault(address, 0);
        if (count >= maxPerAddress) {
            return false;
        }
        byAddress.put(address, count + 1);
        return true;
    }

    /** A connection admitted from {@code address} joined, probed or closed. */
    void release(InetAddress address) {
        byAddress.computeIfPresent(address, (a, count) -> count == 1 ? null : count - 1);
    }

    int maxPerAddress() {
        return maxPerAddress;
    }

    /** Pending connections from {@code address}, for tests. */
    int count(InetAddress address) {
        return byAddress.getOrDefault(address, 0);
    }
}
