package simchat.peer.console;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import simchat.peer.cli.ExitCodes;

/** Turns events into the lines the user sees. */
public sealed interface Renderer {

    /** The line for this event, or null when this mode does not show it. */
    String render(ChatEvent event);

    /**
     * What a terminal shows, on its line that never scrolls, for this typing event: e.g. {@code alice is typing…},
     * or null to clear it.
     */
    static String typingLine(ChatEvent.Typing typing) {
        return typing.active() ? Sanitizer.clean(typing.peer()) + " is typing\u2026" : null;
    }

    static Renderer of(boolean json, boolean verbose) {
        return json ? new Json(verbose) : new Text(verbose, ZoneId.systemDefault());
    }

    /**
     * For a person: at a terminal ({@code terminal}) our own lines are shown too, under {@code ownName}; with
     * {@code colour}, each kind of line has its own colour. With {@code json} neither applies.
     */
    static Renderer of(boolean json, boolean verbose, String ownName, boolean terminal, boolean colour) {
        return json || !terminal && !colour ? of(json, verbose)
                : new Styled(new TerminalLines(new Text(verbose, ZoneId.systemDefault()), ownName, colour, terminal));
    }

    /** Text lines at a terminal, or coloured ({@link TerminalLines}). */
    record Styled(TerminalLines lines) implements Renderer {
        @Override
        public String render(ChatEvent event) {
            return lines.render(event);
        }
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
                        + (m.action() ? "* " + Sanitizer.clean(m.from()) + " " : Sanitizer.clean(m.from()) + ": ")
                        + Sanitizer.clean(m.text());
            }
            if (event instanceof ChatEvent.Warning w) {
                return "* " + Sanitizer.clean(w.text());
            }
            if (event instanceof ChatEvent.Info info) {
                return InfoLines.render(info);
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
            if (event instanceof ChatEvent.Relayed r) {
                return "* connected via relay " + r.relay() + " (direct path impossible: " + Sanitizer.clean(r.why())
                        + "); the relay carries only ciphertext";
            }
            if (event instanceof ChatEvent.Punched p) {
                return "* hole punched: the " + p.candidate() + " endpoint " + p.via() + " connected in round "
                        + p.round() + String.format(java.util.Locale.ROOT,
                        " after %d ms (RTT to the rendezvous %.2f ms)", p.millis(), p.rttMillis());
            }
            if (event instanceof ChatEvent.Failure f) {
                return "* error: " + Sanitizer.clean(f.message());
            }
            if (event instanceof ChatEvent.FileEvent f) {
                return f.line(verbose);
            }
            return KeyLines.render(event);
        }
    }

    /**
     * One JSON object per line. Remote strings keep their original characters, with JSON escapes only
     * ({@link JsonEscapes}): a consumer parses the peer's text back exactly, and the raw line is still safe to show.
     */
    record Json(boolean verbose) implements Renderer {

        private static final JsonMapper MAPPER = JsonMapper.builder(
                new JsonFactoryBuilder().characterEscapes(JsonEscapes.INSTANCE).build()).build();

        @Override
        public String render(ChatEvent event) {
            ChatEvent safe = event;
            if (event instanceof ChatEvent.Status s && s.verbose() && !verbose) {
                safe = null;
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
