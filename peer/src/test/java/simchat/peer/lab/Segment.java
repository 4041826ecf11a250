package simchat.peer.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One TCP segment from a {@code tcpdump -nn -tt} line: when, from, to, and whether SYN or SYN-ACK. */
record Segment(double time, String from, String to, boolean synAck, String line) {

    private static final Pattern LINE = Pattern.compile(
            "^(\\d+\\.\\d+) IP6? (\\S+) > (\\S+): Flags \\[([^\\]]*)\\].*$");

    static List<Segment> parseAll(List<String> lines) {
        List<Segment> segments = new ArrayList<>();
        for (String line : lines) {
            Matcher m = LINE.matcher(line);
            if (m.matches() && m.group(4).contains("S")) {
                segments.add(new Segment(Double.parseDouble(m.group(1)), m.group(2), m.group(3).replaceAll(":$", ""),
                        m.group(4).contains("."), line));
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
}
