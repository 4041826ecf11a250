package simchat.peer.files;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonTypeName;
import simchat.peer.console.ChatEvent;
import simchat.peer.console.Sanitizer;

/**
 * What the user is told about file transfers. {@code n} is the transfer's number in this peer's
 * {@code /transfers} list (what {@code /accept N} takes); {@code name} the offered file or folder.
 */
public final class FileEvents {

    private FileEvents() {
    }

    /** The other peer offers a file or folder. */
    @JsonTypeName("file-offer")
    public record Offered(int n, String from, String name, boolean folder, int files, long bytes)
            implements ChatEvent.FileEvent {
        @Override
        public String line(boolean verbose) {
            return "* " + Sanitizer.clean(from) + " offers " + describe(name, folder, files, bytes) + ": /accept " + n
                    + " or /reject " + n;
        }
    }

    /** We offered a file or folder (or it waits for the connection). */
    @JsonTypeName("file-offer-sent")
    public record OfferSent(int n, String name, boolean folder, int files, long bytes, int skipped)
            implements ChatEvent.FileEvent {
        @Override
        public String line(boolean verbose) {
            return "* offering " + describe(name, folder, files, bytes) + " as transfer " + n
                    + (skipped > 0 ? " (skipped " + skipped + " symbolic link(s) and special file(s))" : "");
        }
    }

    /** A transfer was accepted: by the other peer ({@code sending}) or by us, into {@code into}. */
    @JsonTypeName("file-accepted")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Accepted(int n, String name, boolean sending, String into) implements ChatEvent.FileEvent {
        @Override
        public String line(boolean verbose) {
            return sending ? "* " + Sanitizer.clean(name) + " accepted, sending (transfer " + n + ")"
                    : "* receiving " + Sanitizer.clean(name) + " into " + into + " (transfer " + n + ")";
        }
    }

    /** How far a transfer got: {@code current} is the file under way; {@code rate} in bytes per second. */
    @JsonTypeName("file-progress")
    public record Progress(int n, String name, String current, boolean sending, long bytes, long total, long rate,
                           long etaMillis) implements ChatEvent.FileEvent {
        @Override
        public String line(boolean verbose) {
            int percent = total == 0 ? 100 : (int) (bytes * 100 / total);
            int bar = 20;
            int filled = total == 0 ? bar : (int) (bytes * bar / total);
            String gauge = "=".repeat(Math.max(0, filled - 1)) + (filled > 0 && filled < bar ? ">" : filled == bar ? "=" : "")
                    + " ".repeat(bar - filled);
            return "* " + Sanitizer.clean(current) + "  [" + gauge + "] " + percent + " %  " + Sizes.bytes(bytes) + "/"
                    + Sizes.bytes(total) + "  " + Sizes.bytes(rate) + "/s"
                    + (rate > 0 ? "  ETA " + Math.max(0, etaMillis / 1000) + " s" : "");
        }
    }

    /**
     * One file arrived whole: {@code path} as offered, {@code savedAs} where it is (another name if one existed),
     * the SHA-256 it verified. {@code part}: a file of a folder (its text line only with {@code -v}).
     */
    @JsonTypeName("file-received")
    public record Received(int n, String name, String path, String savedAs, long bytes, String sha256, long millis,
                           boolean part) implements ChatEvent.FileEvent {
        @Override
        public String line(boolean verbose) {
            if (part && !verbose) {
                return null;
            }
            return "* received " + Sanitizer.clean(path) + " (" + Sizes.bytes(bytes) + ", SHA-256 " + sha256
                    + " verified) in " + Sizes.seconds(millis) + " (" + Sizes.rate(bytes, millis) + ")"
                    + (savedAs.endsWith("/" + path) || savedAs.equals(path) ? "" : ", saved as " + savedAs);
        }
    }

    /** One file was sent and the other peer verified its SHA-256. */
    @JsonTypeName("file-sent")
    public record Sent(int n, String name, String path, long bytes, String sha256, long millis, boolean part)
            implements ChatEvent.FileEvent {
        @Override
        public String line(boolean verbose) {
            if (part && !verbose) {
                return null;
            }
            return "* sent " + Sanitizer.clean(path) + " (" + Sizes.bytes(bytes) + ", SHA-256 " + sha256
                    + " verified by the other peer) in " + Sizes.seconds(millis) + " (" + Sizes.rate(bytes, millis) + ")";
        }
    }

    /** A whole folder transfer completed: {@code failed} of its files did not make it. */
    @JsonTypeName("file-folder-done")
    public record FolderDone(int n, String name, boolean sending, String savedAs, int files, int failed, long bytes,
                             long millis) implements ChatEvent.FileEvent {
        @Override
        public String line(boolean verbose) {
            return "* " + (sending ? "sent " : "received ") + Sanitizer.clean(name) + "/ (" + files + " files, "
                    + Sizes.bytes(bytes) + (failed == 0 ? ", SHA-256 verified" : ", " + failed + " FAILED")
                    + ") in " + Sizes.seconds(millis) + " (" + Sizes.rate(bytes, millis) + ")"
                    + (savedAs == null || savedAs.endsWith("/" + name) ? "" : ", saved as " + savedAs);
        }
    }

    /** A transfer, or one file of it ({@code path}, else null), failed; {@code reason} says why. */
    @JsonTypeName("file-failed")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Failed(int n, String name, String path, String reason) implements ChatEvent.FileEvent {
        @Override
        public String line(boolean verbose) {
            return "* transfer " + n + " (" + Sanitizer.clean(path != null ? path : name) + ") failed: "
                    + Sanitizer.clean(reason);
        }
    }

    /** Anything else about transfers (the {@code /transfers} list, a usage hint). */
    @JsonTypeName("file-status")
    public record Note(String text) implements ChatEvent.FileEvent {
        @Override
        public String line(boolean verbose) {
            return "* " + text;
        }
    }

    static String describe(String name, boolean folder, int files, long bytes) {
        return Sanitizer.clean(name) + (folder ? "/ (" + files + (files == 1 ? " file, " : " files, ") : " (")
                + Sizes.bytes(bytes) + ")";
    }
}
