package simchat.peer.dial;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Notices the other peer arriving while we wait between paced attempts.
 *
 * <p>Nothing listens, so when the other peer starts dialing, its SYNs reach our closed port and our
 * kernel answers each with a reset. Linux counts the resets it sends ({@code OutRsts} in
 * {@code /proc/net/snmp}, per network namespace, readable by anyone). A jump in that counter is a
 * knock: someone is dialing this host right now, so dialing eagerly for a moment makes the two peers'
 * SYNs cross within milliseconds instead of waiting for a paced SYN to meet the newcomer by chance.
 * Where the counter is unavailable (other systems) the detector stays silent and pacing alone applies.
 *
 * <p>The counter is namespace-wide, so other peers waiting on this host must not pass for knocks. Each
 * attempt of theirs that a closed port on this host refuses adds one reset <em>and</em> one failed
 * attempt ({@code AttemptFails}, counted in the same namespace): for a partner on another host, only the
 * resets that no failed attempt in this namespace explains count (the partner's SYNs come from
 * outside, so its knocks are all of that kind). For a partner on this very host the two cannot be told
 * apart, since its attempts fail here too; then only a burst counts, a rate no paced peer reaches (an
 * eager newcomer's), less our own refused attempts. The file is read into one reused buffer with a
 * positional read, parsed without allocating: it is sampled every {@link Dialer#KNOCK_POLL_MILLIS} ms
 * for as long as a peer waits.
 */
public final class KnockDetector {

    private static final Path SNMP = Path.of("/proc/net/snmp");
    private static final byte[] OUT_RSTS = "OutRsts".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ATTEMPT_FAILS = "AttemptFails".getBytes(StandardCharsets.US_ASCII);

    /** A burst this large within one poll is a newcomer's eager phase (400 per second and more). */
    static final int BURST_RESETS = 10;
    /** This many from another host within the last {@link #WINDOW_MILLIS} is another paced peer. */
    static final int SUSTAINED_RESETS = 6;
    static final long WINDOW_MILLIS = 2_000;

    private final Path source;
    private final long[] window = new long[Math.toIntExact(WINDOW_MILLIS / Dialer.KNOCK_POLL_MILLIS)];
    private final ByteBuffer buffer = ByteBuffer.allocate(8192);
    private FileChannel file;
    private int slot;
    private long lastResets = -1;
    private long lastFails = -1;
    // The counters of the latest read, as parse() leaves them.
    private long outRsts;
    private long attemptFails;

    public KnockDetector() {
        this(SNMP);
    }

    KnockDetector(Path source) {
        this.source = source;
    }

    /** Whether this system exposes the reset counter at all. */
    public boolean available() {
        return read();
    }

    /**
     * Samples the counters; {@code ownFailedAttempts} is how many of our own attempts failed after sending a
     * SYN since the last poll, and {@code partnerOnThisHost} whether the other peer is on this very host.
     * Returns whether this is a knock.
     */
    public boolean poll(long ownFailedAttempts, boolean partnerOnThisHost) {
        if (!read()) {
            return false;
        }
        long previousResets = lastResets;
        long previousFails = lastFails;
        lastResets = outRsts;
        lastFails = attemptFails;
        if (previousResets < 0) {
            return false;
        }
        long resets = lastResets - previousResets;
        long fails = lastFails - previousFails;
        if (partnerOnThisHost) {
            // Each of our refused attempts made our own kernel send one reset.
            return resets - ownFailedAttempts >= BURST_RESETS;
        }
        // Resets answering SYNs from other hosts: every failed attempt in this namespace but ours was refused here.
        long fresh = Math.max(0, resets - Math.max(0, fails - ownFailedAttempts));
        window[slot] = fresh;
        slot = (slot + 1) % window.length;
        long second = 0;
        for (long n : window) {
            second += n;
        }
        return fresh >= BURST_RESETS || second >= SUSTAINED_RESETS;
    }

    /** Reads the file into the buffer and parses it; false if it cannot be read or lacks the counters. */
    private boolean read() {
        try {
            if (file == null) {
                file = FileChannel.open(source, StandardOpenOption.READ);
            }
            buffer.clear();
            // A positional read from 0 makes procfs generate the file afresh (no reopening) and hand over all of
            // it at once: the file is about 1.5 KB, the buffer 8 KB, so one system call does.
            file.read(buffer, 0);
            return parse(buffer.array(), buffer.position());
        } catch (IOException | RuntimeException e) {
            close();
            return false;
        }
    }

    private void close() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                // Only read from: nothing to lose.
            }
            file = null;
        }
    }

    /**
     * Finds {@code OutRsts} and {@code AttemptFails} in the two {@code Tcp:} lines (names, then values) of
     * {@code /proc/net/snmp} and keeps them; false if they are not there.
     */
    boolean parse(byte[] text, int length) {
        int names = lineStarting(text, 0, length);
        if (names < 0) {
            return false;
        }
        int values = lineStarting(text, endOfLine(text, names, length) + 1, length);
        if (values < 0) {
            return false;
        }
        int resetsColumn = column(text, names, length, OUT_RSTS);
        int failsColumn = column(text, names, length, ATTEMPT_FAILS);
        if (resetsColumn < 0 || failsColumn < 0) {
            return false;
        }
        long resets = value(text, values, length, resetsColumn);
        long fails = value(text, values, length, failsColumn);
        if (resets < 0 || fails < 0) {
            return false;
        }
        outRsts = resets;
        attemptFails = fails;
        return true;
    }

    /** The counters of the last successful parse: {@code OutRsts}, then {@code AttemptFails}. */
    long[] lastParsed() {
        return new long[] {outRsts, attemptFails};
    }

    /** The start of the first line at or after {@code from} that begins with {@code Tcp:}, or -1. */
    private static int lineStarting(byte[] text, int from, int length) {
        for (int i = from; i < length; i = endOfLine(text, i, length) + 1) {
            if (i + 4 <= length && text[i] == 'T' && text[i + 1] == 'c' && text[i + 2] == 'p' && text[i + 3] == ':') {
                return i;
            }
        }
        return -1;
    }

    private static int endOfLine(byte[] text, int from, int length) {
        int i = from;
        while (i < length && text[i] != '\n') {
            i++;
        }
        return i;
    }

    /** Which space-separated field of the line at {@code line} is {@code name} (the {@code Tcp:} is field 0). */
    private static int column(byte[] text, int line, int length, byte[] wanted) {
        int end = endOfLine(text, line, length);
        int field = 0;
        for (int start = skipSpaces(text, line, end); start < end; start = skipSpaces(text, start, end)) {
            int stop = fieldEnd(text, start, end);
            if (stop - start == wanted.length && java.util.Arrays.equals(text, start, stop, wanted, 0, wanted.length)) {
                return field;
            }
            field++;
            start = stop;
        }
        return -1;
    }

    /** The non-negative number in field {@code column} of the line at {@code line}, or -1. */
    private static long value(byte[] text, int line, int length, int column) {
        int end = endOfLine(text, line, length);
        int field = 0;
        for (int start = skipSpaces(text, line, end); start < end; start = skipSpaces(text, start, end)) {
            int stop = fieldEnd(text, start, end);
            if (field == column) {
                long n = 0;
                for (int k = start; k < stop; k++) {
                    if (text[k] < '0' || text[k] > '9') {
                        return -1;
                    }
                    n = n * 10 + (text[k] - '0');
                }
                return n;
            }
            field++;
            start = stop;
        }
        return -1;
    }

    private static int skipSpaces(byte[] text, int i, int end) {
        while (i < end && text[i] == ' ') {
            i++;
        }
        return i;
    }

    private static int fieldEnd(byte[] text, int i, int end) {
        while (i < end && text[i] != ' ') {
            i++;
        }
        return i;
    }
}
