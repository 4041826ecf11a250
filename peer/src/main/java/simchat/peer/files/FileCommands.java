package simchat.peer.files;

import static java.util.Objects.requireNonNull;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.concurrent.RejectedExecutionException;

/**
 * The chat commands of file transfers, read on the input thread and run on the chat's loop: {@code /send PATH},
 * {@code /accept N}, {@code /reject N}, {@code /cancel N}, {@code /transfers}.
 */
public final class FileCommands {

    private final Transfers transfers;

    public FileCommands(Transfers transfers) {
        this.transfers = requireNonNull(transfers, "transfers");
    }

    /** Runs {@code line} if it is one of these commands (and says so), else returns false: then it is chat. */
    public boolean handle(String line) {
        String text = line.strip();
        String command = text.split("\\s+", 2)[0];
        String argument = text.length() > command.length() ? text.substring(command.length()).strip() : "";
        switch (command) {
            case "/send" -> {
                if (argument.isEmpty()) {
                    onLoop(() -> transfers.note("usage: /send PATH (a file or a folder)"));
                } else {
                    try {
                        Path path = Path.of(expandHome(argument));
                        onLoop(() -> transfers.send(path));
                    } catch (InvalidPathException e) {
                        onLoop(() -> transfers.note("cannot send " + argument + ": " + e.getReason()));
                    }
                }
            }
            case "/accept", "/reject", "/cancel" -> {
                Integer n = number(argument);
                if (n == null) {
                    onLoop(() -> transfers.note("usage: " + command + " N (N: a number from /transfers)"));
                } else if (command.equals("/accept")) {
                    onLoop(() -> transfers.accept(n));
                } else if (command.equals("/reject")) {
                    onLoop(() -> transfers.reject(n));
                } else {
                    onLoop(() -> transfers.cancel(n));
                }
            }
            case "/transfers" -> onLoop(transfers::list);
            default -> {
                return false;
            }
        }
        return true;
    }

    private static Integer number(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String expandHome(String path) {
        if (path.equals("~") || path.startsWith("~/")) {
            return System.getProperty("user.home") + path.substring(1);
        }
        return path;
    }

    private void onLoop(Runnable task) {
        try {
            transfers.loop().execute(task);
        } catch (RejectedExecutionException e) {
            // The chat is over.
        }
    }
}
