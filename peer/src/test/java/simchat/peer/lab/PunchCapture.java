package simchat.peer.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A running {@code tcpdump -S} at one peer; {@link #stop()} returns the SYNs and SYN-ACKs it saw. */
record PunchCapture(Process tcpdump, Path file) {

    private static final Pattern LINE = Pattern.compile(
            "^(\\d+\\.\\d+) IP (\\S+) > (\\S+): Flags \\[([^\\]]*)\\], seq (\\d+).*$");

    List<Syn> stop() throws IOException, InterruptedException {
        Thread.sleep(200);   // let the last packets be written (-U flushes per packet)
        tcpdump.destroy();
        tcpdump.waitFor(5, TimeUnit.SECONDS);
        return parse(Files.readAllLines(file));
    }

    static List<Syn> parse(List<String> lines) {
        List<Syn> all = new ArrayList<>();
        for (String line : lines) {
            Matcher m = LINE.matcher(line);
            if (m.matches()) {
                all.add(new Syn(Double.parseDouble(m.group(1)), m.group(2), m.group(3).replaceAll(":$", ""),
                        m.group(4).contains("."), Long.parseLong(m.group(5)), line));
            }
        }
        return all;
    }

    /**
     * Whether a capture at {@code self} ({@code ip.port}) shows a SYN-ACK in each direction, each from a
     * connecting socket: both sides answered the other's SYN while in SYN_SENT, i.e. the SYNs crossed
     * in flight and neither side listened.
     */
    static boolean synAcksBothWays(List<Syn> seen, String self) {
        return seen.stream().anyMatch(s -> s.from().equals(self) && s.fromConnectingSocket(seen))
                && seen.stream().anyMatch(s -> s.to().equals(self) && s.fromConnectingSocket(seen));
    }

    /** A SYN or SYN-ACK: when, from, to ({@code ip.port}), and its sequence number (the sender's ISN). */
    record Syn(double time, String from, String to, boolean synAck, long seq, String line) {

        /**
         * Whether this SYN-ACK came from a socket that had itself sent a SYN on the same address pair
         * with the same ISN: a connecting socket in SYN_SENT answering a crossing SYN, which is what
         * a simultaneous open is (a listener's SYN-ACK carries a fresh ISN and follows no SYN of its own).
         */
        boolean fromConnectingSocket(List<Syn> seen) {
            return synAck && seen.stream().anyMatch(s -> !s.synAck && s.from.equals(from) && s.to.equals(to)
                    && s.seq == seq && s.time <= time);
        }
    }
}
