package simchat.peer;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Consumer;

import simchat.peer.console.ChatEvent;
import simchat.peer.session.Journal;

/** Opens the journal of this run's chat, or says why it cannot, or keeps the chat in memory without a home. */
final class Journals {

    private Journals() {
    }

    /** {@code abort} runs before a {@link CannotStart} is thrown (it stops a connector that is already dialing). */
    static Journal open(PeerConfig config, Consumer<ChatEvent> events, Runnable abort) throws CannotStart {
        Path file = config.security().dir().path().resolve("chats").resolve(config.chatKey() + ".jsonl");
        try {
            return Journal.open(file);
        } catch (Journal.InUseException e) {
            abort.run();
            throw new CannotStart(new Outcome.PortUnavailable("another peer process runs this chat from local port "
                    + config.localPort() + " already (" + file + " is locked; peers sharing a home directory need"
                    + " different --name or --config-dir)"));
        } catch (IOException | RuntimeException e) {
            if (config.security().configDir() != null) {
                abort.run();
                throw new CannotStart(new Outcome.FilesUnusable("cannot open this chat's journal " + file + ": "
                        + why(e) + " (choose another directory with --config-dir)"));
            }
            // No usable home directory (e.g. a container user without one): chat anyway, and say what is lost.
            events.accept(new ChatEvent.Status("cannot keep this chat's queue on disk (" + file + ": " + why(e)
                    + "); it lives in memory only, so a restart loses it (use --config-dir)"));
            return Journal.inMemory();
        }
    }

    /** What went wrong with a file, in words: the JDK's file exceptions often carry nothing but the path. */
    private static String why(Exception e) {
        if (e instanceof AccessDeniedException denied) {
            return "permission denied: " + denied.getFile();
        }
        if (e instanceof NoSuchFileException missing) {
            return "no such file or directory: " + missing.getFile();
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason() + ": " + fs.getFile();
        }
        return String.valueOf(e.getMessage());
    }
}
