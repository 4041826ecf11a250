package simchat.peer.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One TCP segment from a {@code tcpdump -nn -tt} line: when, from, to, and whether SYN or SYN-ACK. */
record Segment(double time, String from, String to, boolean synAck, long seq, String line) {

    private static final Pattern LINE = Pattern.compile(
            "^(\\d+\\.\\d+) IP6? (\\S+) > (\\S+): Flags \\[([^\\]]*)\\], seq (\\d+).*$");

    static List<Segment> parseAll(List<String> lines) {
        List<Segment> segments = new ArrayList<>();
        for (String line : lines) {
            Matcher m = LINE.matcher(line);
            if (m.matches() && m.group(4).contains("S")) {
                segments.add(new Segment(Double.parseDouble(m.group(1)), m.group(2), m.group(3).replaceAll(":$", ""),
                        m.group(4).contains("."), Long.parseLong(m.group(5)), line));
            }
        }
        return segments;
    }

    boolean syn() {
        return !synAck;
    }

    boolean from(String address, int port) {
        return from.equals(address + "." + port);
    }

    /**
     * Whether the host at {@code address:port} completed a simultaneous open: it sent a bare SYN and then a
     * SYN-ACK with the same initial sequence number, i.e. it went from SYN-SENT to SYN-RECEIVED on the other
     * side's SYN. A listening socket never sends a bare SYN, so this cannot come from a listener.
     */
    static boolean simultaneousOpenAt(List<Segment> segments, String address, int port) {
        return segments.stream().filter(s -> s.synAck && s.from(address, port)).anyMatch(synAck ->
                segments.stream().anyMatch(s -> !s.synAck && s.from(address, port) && s.seq == synAck.seq
                        && s.time <= synAck.time));
    }
}
