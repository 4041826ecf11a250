package simchat.peer.console;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import simchat.peer.cli.ExitCodes;

/** Turns events into the lines the user sees. */
public sealed interface Renderer {

    /** The line for this event, or null when this mode does not show it. */
    String render(ChatEvent event);

    static Renderer of(boolean json, boolean verbose) {
        return json ? new Json(verbose) : new Text(verbose, ZoneId.systemDefault());
    }

    /** Human-readable lines; status lines start with {@code "* "} so they stand apart from chat. */
    record Text(boolean verbose, ZoneId zone) implements Renderer {

        private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

        @Override
        public String render(ChatEvent event) {
            if (event instanceof ChatEvent.Dialing d) {
                return "* dialing " + d.remote() + " from " + d.local()
                        + " (simultaneous open: nothing listens, start the other peer now)";
            }
            if (event instanceof ChatEvent.Progress p) {
                return "* still dialing: " + p.attempts() + " attempts in " + p.millis() / 1000 + " s"
                        + (p.last() == null ? "" : ", last: " + p.last());
            }
            if (event instanceof ChatEvent.Status s) {
                return s.verbose() && !verbose ? null : "* " + s.text();
            }
            if (event instanceof ChatEvent.Connected c) {
                return "* connected to " + Sanitizer.clean(c.peer()) + " at " + c.remote() + " from " + c.local()
                        + " after " + c.millis() + " ms and " + c.attempts() + (c.attempts() == 1 ? " attempt" : " attempts");
            }
            if (event instanceof ChatEvent.MessageReceived m) {
                return "[" + CLOCK.format(Instant.ofEpochMilli(m.time()).atZone(zone)) + "] "
                        + Sanitizer.clean(m.from()) + ": " + Sanitizer.clean(m.text());
            }
            if (event instanceof ChatEvent.PeerLeft l) {
                return "* " + Sanitizer.clean(l.peer()) + " left the chat"
                        + (l.reason() == null ? "" : " (" + Sanitizer.clean(l.reason()) + ")");
            }
            if (event instanceof ChatEvent.ConnectionLost l) {
                return "* connection to " + Sanitizer.clean(l.peer()) + " lost (" + Sanitizer.clean(l.reason())
                        + "); dialing again";
            }
            if (event instanceof ChatEvent.Room room) {
                ChatEvent.Room r = new ChatEvent.Room(Sanitizer.clean(room.code()), room.created(), room.observed(),
                        room.portPreserved(), room.role(), room.translated());
                return (r.created() ? "* room code: " + r.code() + " (read it to the other person; they add --room "
                        + r.code() + ")\n" : "* joined room " + r.code() + "\n")
                        + "* your public endpoint: " + r.observed() + (!r.translated()
                        ? " (no NAT: the rendezvous sees this host's own address)" : r.portPreserved()
                        ? " (your NAT kept the local port)" : " (your NAT changed the local port)")
                        + "; role: " + r.role();
            }
            if (event instanceof ChatEvent.Nat n) {
                return n.consistent() ? (verbose ? "* NAT check: a second destination saw the same mapping "
                        + n.probed() + " (hole punching can work)" : null)
                        : "* NAT check: a second destination saw " + n.probed() + " instead of " + n.observed()
                        + ": your NAT maps every destination to a new port (symmetric NAT)";
            }
            if (event instanceof ChatEvent.Punching p) {
                return "* round " + p.round() + ": dialing " + String.join(", ", p.candidates())
                        + (p.delayMillis() > 0 ? " in " + p.delayMillis() + " ms" : " now")
                        + String.format(java.util.Locale.ROOT, " (RTT to the rendezvous %.2f ms)", p.rttMillis());
            }
            if (event instanceof ChatEvent.Punched p) {
                return "* hole punched: the " + p.candidate() + " endpoint " + p.via() + " connected in round "
                        + p.round() + String.format(java.util.Locale.ROOT,
                        " after %d ms (RTT to the rendezvous %.2f ms)", p.millis(), p.rttMillis());
            }
            if (event instanceof ChatEvent.Failure f) {
                return "* error: " + Sanitizer.clean(f.message());
            }
            return KeyLines.render(event);
        }
    }

    /** One JSON object per line; remote strings are sanitised here too. */
    record Json(boolean verbose) implements Renderer {

        private static final JsonMapper MAPPER = JsonMapper.builder().build();

        @Override
        public String render(ChatEvent event) {
            ChatEvent safe = event;
            if (event instanceof ChatEvent.Status s && s.verbose() && !verbose) {
                safe = null;
            } else if (event instanceof ChatEvent.MessageReceived m) {
                safe = new ChatEvent.MessageReceived(Sanitizer.clean(m.from()), m.seq(), Sanitizer.clean(m.id()),
                        m.time(), Sanitizer.clean(m.text()));
            } else if (event instanceof ChatEvent.Connected c) {
                safe = new ChatEvent.Connected(Sanitizer.clean(c.peer()), c.remote(), c.local(), c.millis(),
                        c.attempts());
            } else if (event instanceof ChatEvent.PeerLeft l) {
                safe = new ChatEvent.PeerLeft(Sanitizer.clean(l.peer()),
                        l.reason() == null ? null : Sanitizer.clean(l.reason()));
            } else if (event instanceof ChatEvent.ConnectionLost l) {
                safe = new ChatEvent.ConnectionLost(Sanitizer.clean(l.peer()), Sanitizer.clean(l.reason()));
            }
            if (safe == null) {
                return null;
            }
            try {
                if (event instanceof ChatEvent.Failure f) {
                    // The exit code is the edge's choice, made here rather than where the failure arose.
                    ObjectNode error = MAPPER.createObjectNode().put("event", "error")
                            .put("code", ExitCodes.code(f.outcome())).put("message", f.message());
                    return MAPPER.writeValueAsString(error);
                }
                return MAPPER.writerFor(ChatEvent.class).writeValueAsString(safe);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot render " + event, e);
            }
        }
    }
}
