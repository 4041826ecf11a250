package simchat.peer.dial;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Notices the other peer arriving while we wait between paced attempts.
 *
 * <p>Nothing listens, so when the other peer starts dialing, its SYNs reach our closed port and our
 * kernel answers each with a reset. Linux counts the resets it sends ({@code OutRsts} in
 * {@code /proc/net/snmp}, per network namespace, readable by anyone). A jump in that counter is a
 * knock: someone is dialing this host right now, so dialing eagerly for a moment makes the two peers'
 * SYNs cross within milliseconds instead of waiting for a paced SYN to meet the newcomer by chance.
 * Where the counter is unavailable (other systems) the detector stays silent and pacing alone applies.
 */
public final class KnockDetector {

    private static final Path SNMP = Path.of("/proc/net/snmp");

    /** A burst this large within one poll is a newcomer's eager phase. */
    static final int BURST_RESETS = 3;
    /** This many within the last second is another paced peer. */
    static final int SUSTAINED_RESETS = 12;

    private final Path source;
    private final long[] window = new long[Math.toIntExact(1000 / Dialer.KNOCK_POLL_MILLIS)];
    private int slot;
    private long last = -1;

    public KnockDetector() {
        this(SNMP);
    }

    KnockDetector(Path source) {
        this.source = source;
    }

    /** Whether this system exposes the reset counter at all. */
    public boolean available() {
        return read().isPresent();
    }

    /**
     * Samples the counter; {@code ownResets} is how many of the new resets our own refused attempts
     * caused (non-zero only when the remote peer is on this very host). Returns whether this is a knock.
     */
    public boolean poll(long ownResets) {
        OptionalLong now = read();
        if (now.isEmpty()) {
            return false;
        }
        long previous = last;
        last = now.getAsLong();
        if (previous < 0) {
            return false;
        }
        long fresh = Math.max(0, last - previous - ownResets);
        window[slot] = fresh;
        slot = (slot + 1) % window.length;
        long second = 0;
        for (long n : window) {
            second += n;
        }
        return fresh >= BURST_RESETS || second >= SUSTAINED_RESETS;
    }

    private OptionalLong read() {
        try {
            return parseOutRsts(new String(Files.readAllBytes(source), StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** Finds {@code OutRsts} in the two {@code Tcp:} lines (names, then values) of {@code /proc/net/snmp}. */
    static OptionalLong parseOutRsts(String snmp) {
        String names = null;
        for (String line : snmp.split("\n")) {
            if (!line.startsWith("Tcp:")) {
                continue;
            }
            if (names == null) {
                names = line;
                continue;
            }
            String[] keys = names.trim().split("\\s+");
            String[] values = line.trim().split("\\s+");
            for (int i = 1; i < keys.length && i < values.length; i++) {
                if (keys[i].equals("OutRsts")) {
                    return OptionalLong.of(Long.parseLong(values[i]));
                }
            }
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }
}
