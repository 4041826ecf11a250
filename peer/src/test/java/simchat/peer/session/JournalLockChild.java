package simchat.peer.session;

import java.io.IOException;
import java.nio.file.Path;

import simchat.peer.wire.Chat;

/**
 * The other process of {@link JournalLockTest}: {@code end FILE} opens the journal, says {@code open}, waits
 * for a line and ends the chat on purpose; {@code open FILE} says {@code in use} or {@code acquired}.
 */
final class JournalLockChild {

    private JournalLockChild() {
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[1]);
        if (args[0].equals("end")) {
            Journal journal = Journal.open(file);
            journal.sent(new Chat("id", journal.nextSeq(), 1, "bye soon"));
            System.out.println("open");
            System.out.flush();
            System.in.read();
            journal.delete();
            return;
        }
        try (Journal journal = Journal.open(file)) {
            System.out.println("acquired");
        } catch (Journal.InUseException e) {
            System.out.println("in use");
        }
    }
}
