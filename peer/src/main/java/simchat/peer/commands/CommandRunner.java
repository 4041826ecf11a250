package simchat.peer.commands;

import static java.util.Objects.requireNonNull;

import java.util.function.Consumer;

import simchat.peer.console.ChatEvent;
import simchat.peer.files.FileCommands;
import simchat.peer.session.ChatSession;
import simchat.peer.session.ChatStats;
import simchat.peer.wire.Chat;

/** The one place that carries out a {@link Command}, on the chat's event loop. Nothing but chat is ever sent. */
public final class CommandRunner {

    private final ChatSession session;
    private final Consumer<ChatEvent> events;
    private final ConnectionFacts facts;
    private final FileCommands files;

    /** Without file transfers: their commands are answered with a warning. */
    public CommandRunner(ChatSession session, Consumer<ChatEvent> events, ConnectionFacts facts) {
        this(session, events, facts, null);
    }

    /** With {@code files} carrying out the file-transfer commands. */
    public CommandRunner(ChatSession session, Consumer<ChatEvent> events, ConnectionFacts facts, FileCommands files) {
        this.session = requireNonNull(session, "session");
        this.events = requireNonNull(events, "events");
        this.facts = requireNonNull(facts, "facts");
        this.files = files;
    }

    /** Carries out {@code command}; runs on the session's loop. */
    public void run(Command command) {
        if (command instanceof Command.Say say) {
            session.submit(say.text(), say.more());
        } else if (command instanceof Command.Me me) {
            session.submit(me.action(), Chat.ACTION);
        } else if (command instanceof Command.Help) {
            Commands.help().forEach(line -> events.accept(new ChatEvent.Status(line)));
        } else if (command instanceof Command.Info) {
            events.accept(info(session.stats(), facts));
        } else if (command instanceof Command.Files file) {
            if (files == null || !files.handle(file.line())) {
                events.accept(new ChatEvent.Warning("files cannot be sent in this chat"));
            }
        } else if (command instanceof Command.Quit) {
            quit();
        } else if (command instanceof Command.Unknown unknown) {
            events.accept(new ChatEvent.Warning("unknown command " + unknown.name() + " (type /help)"));
        } else if (command instanceof Command.Misused misused) {
            events.accept(new ChatEvent.Warning(misused.problem()));
        }
    }

    /** Connected: bye once everything typed was delivered. Still dialing: at once, saying what was not. */
    private void quit() {
        if (session.attached()) {
            session.endOfInput("quit");
        } else {
            session.leaveNow(null);
        }
    }

    /** The {@code /info} event of this snapshot. */
    static ChatEvent.Info info(ChatStats stats, ConnectionFacts facts) {
        return new ChatEvent.Info(stats.peer(), stats.remote(), stats.local(), stats.attached() ? facts.path() : null,
                stats.rtt() == null ? null : stats.rtt().toNanos() / 1e6, stats.tlsProtocol(), stats.cipherSuite(),
                facts.ownFingerprint(), stats.attached() ? facts.peerFingerprint() : null,
                stats.attached() ? facts.trust() : null, stats.uptime().toSeconds(),
                stats.connected() == null ? null : stats.connected().toSeconds(), stats.sent(), stats.received(),
                stats.queued());
    }
}
