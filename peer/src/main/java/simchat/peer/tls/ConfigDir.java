package simchat.peer.tls;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

/**
 * The user's simchat directory: {@code $XDG_CONFIG_HOME/simchat}, else {@code ~/.config/simchat}. It holds
 * this peer's identity and the known peers; the directory is created 0700 and every file is written 0600,
 * because the identity holds a private key.
 */
public final class ConfigDir {

    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

    private final Path dir;

    public ConfigDir(Path dir) {
        this.dir = requireNonNull(dir, "dir").toAbsolutePath();
    }

    /** The default location for this environment and home directory. */
    public static ConfigDir standard(Map<String, String> env, String home) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg) : Path.of(home, ".config");
        return new ConfigDir(base.resolve("simchat"));
    }

    public Path path() {
        return dir;
    }

    /** Our private key and self-signed certificate, PEM. */
    public Path identityFile() {
        return dir.resolve("identity.pem");
    }

    /** One line per remembered peer: {@code host:port SHA256:…}. */
    public Path knownPeersFile() {
        return dir.resolve("known_peers");
    }

    /**
     * Replaces {@code file} with {@code content} atomically: readers see the old or the new file, never a
     * half-written one, and the new file is never readable by anyone but the owner, not even briefly.
     */
    void writePrivately(Path file, String content) throws IOException {
        Path temp = privateTempFile(file, content);
        try {
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Creates {@code file} with {@code content}, owner-only, unless it exists: returns false then, and leaves
     * it as it is. Atomic, so that of two peers starting at once, one creates the file and the other sees it.
     */
    boolean createPrivately(Path file, String content) throws IOException {
        Path temp = privateTempFile(file, content);
        try {
            // A hard link, unlike a rename, never replaces a file that is already there.
            Files.createLink(file, temp);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** {@code content} in an owner-only temporary file beside {@code file}, to be moved or linked into place. */
    private Path privateTempFile(Path file, String content) throws IOException {
        createDirectory();
        Path temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
        try {
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(temp, OWNER_ONLY_FILE);
            return temp;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /**
     * Waits for and takes an exclusive lock that other peer processes honour for {@code file} (a
     * {@code .lock} file beside it), for a read-modify-write; closing the channel releases it.
     */
    FileChannel lock(Path file) throws IOException {
        createDirectory();
        FileChannel channel = FileChannel.open(file.resolveSibling(file.getFileName() + ".lock"),
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
        try {
            channel.lock();
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Reads a file that must be private: refuses, like ssh, one that others may read or write. */
    String readPrivate(Path file) throws IOException {
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
        if (!OWNER_ONLY_FILE.containsAll(mode)) {
            throw new IOException(file + " is accessible by others (mode " + PosixFilePermissions.toString(mode)
                    + "): run chmod 600 " + file);
        }
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    private void createDirectory() throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir.getParent());
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // Created by another peer at the same moment.
            }
            Files.setPosixFilePermissions(dir, OWNER_ONLY_DIR);
        }
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}
