package simchat.peer.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The text lines of {@code /info}. */
final class InfoLines {

    private InfoLines() {
    }

    static String render(ChatEvent.Info info) {
        List<String> lines = new ArrayList<>();
        String peer = info.peer() == null ? "the other peer" : Sanitizer.clean(info.peer());
        if (info.remote() == null) {
            lines.add("* not connected to " + peer + " (dialing)");
        } else {
            lines.add("* connected to " + peer + " at " + info.remote() + " from " + info.local()
                    + (info.connectedSeconds() == null ? "" : " for " + duration(info.connectedSeconds())));
            lines.add("* path: " + (info.path() == null ? "unknown" : info.path()));
            lines.add("* round trip: " + (info.rttMillis() == null
                    ? "not measured yet (a heartbeat goes after 5 s without sending)"
                    : String.format(Locale.ROOT, "%.2f ms (last heartbeat)", info.rttMillis())));
            lines.add("* encryption: " + (info.tls() == null ? "none (--plaintext)"
                    : info.tls() + ", " + info.cipherSuite()));
        }
        if (info.ownFingerprint() != null) {
            lines.add("* your key: " + info.ownFingerprint());
        }
        if (info.peerFingerprint() != null) {
            lines.add("* " + peer + "'s key: " + info.peerFingerprint() + " (" + trust(info.trust()) + ")");
        }
        lines.add("* uptime: " + duration(info.uptimeSeconds()) + "; messages sent " + info.sent() + ", received "
                + info.received() + ", still queued " + info.queued());
        return String.join("\n", lines);
    }

    private static String trust(String trust) {
        return switch (String.valueOf(trust)) {
            case "pinned" -> "matches --trust";
            case "known" -> "the one remembered in known_peers";
            case "new" -> "first contact: remembered from now on, compare it aloud";
            case "room-code" -> "proven by the room code";
            default -> "NOT verified: compare it aloud";
        };
    }

    static String duration(long seconds) {
        long h = seconds / 3600;
        long m = seconds / 60 % 60;
        long s = seconds % 60;
        return h > 0 ? String.format(Locale.ROOT, "%dh%02dm%02ds", h, m, s)
                : m > 0 ? String.format(Locale.ROOT, "%dm%02ds", m, s) : s + " s";
    }
}
