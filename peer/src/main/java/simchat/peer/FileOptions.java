package simchat.peer;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;

/**
 * File transfers as asked for on the command line.
 *
 * @param send       files and folders to offer as soon as connected ({@code --send}, repeatable)
 * @param acceptAll  accept every offer without asking ({@code --accept-files})
 * @param downloads  where received files go ({@code --download-dir}; default: the current directory)
 */
public record FileOptions(List<Path> send, boolean acceptAll, Path downloads) {

    /** Nothing to send, offers asked about, received files in the current directory. */
    public static final FileOptions DEFAULT = new FileOptions(List.of(), false, Path.of(""));

    public FileOptions {
        send = List.copyOf(send);
        requireNonNull(downloads, "downloads");
    }
}
