package simchat.peer.dial;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the process that owns a socket of the {@link TcpTable}: the one with a file descriptor that links to
 * {@code socket:[inode]} under {@code /proc/PID/fd}. A process of another user is only visible to root; then
 * the table's uid is all there is to say.
 */
interface SocketOwners {

    /** Whether this very process holds the socket. */
    boolean ours(long inode);

    /** The process holding the socket, if it can be seen. */
    Optional<Owner> owner(long inode);

    /** The user this process runs as, to tell "another process of yours" from "a process of uid N". */
    int ourUid();

    /** A process that holds a socket; {@code simchatPeer} when it is another chat peer such as {@code bin/peer}. */
    record Owner(long pid, String command, boolean simchatPeer) {
    }

    /** The owners as Linux's {@code /proc} shows them. */
    static SocketOwners proc() {
        return ProcOwners.INSTANCE;
    }

    /** Reads {@code /proc}; only ever called off the event loop, and only after the kernel refused a port. */
    final class ProcOwners implements SocketOwners {

        private static final ProcOwners INSTANCE = new ProcOwners();
        private static final Path PROC = Path.of("/proc");
        private static final String PEER_MAIN = "simchat.peer.cli.PeerCommand";

        private ProcOwners() {
        }

        @Override
        public boolean ours(long inode) {
            return holds(PROC.resolve("self"), inode);
        }

        @Override
        public Optional<Owner> owner(long inode) {
            try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, "[0-9]*")) {
                for (Path process : processes) {
                    if (holds(process, inode)) {
                        return Optional.of(describe(process));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // No /proc to look through: the owner stays unknown.
            }
            return Optional.empty();
        }

        @Override
        public int ourUid() {
            try {
                return (Integer) Files.getAttribute(PROC.resolve("self"), "unix:uid");
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }

        private static boolean holds(Path process, long inode) {
            String link = "socket:[" + inode + "]";
            try (DirectoryStream<Path> fds = Files.newDirectoryStream(process.resolve("fd"))) {
                for (Path fd : fds) {
                    try {
                        if (Files.readSymbolicLink(fd).toString().equals(link)) {
                            return true;
                        }
                    } catch (IOException e) {
                        // The descriptor closed while we looked.
                    }
                }
            } catch (IOException | RuntimeException e) {
                // Another user's process (not ours to read), or one that just ended.
            }
            return false;
        }

        private static Owner describe(Path process) {
            long pid = Long.parseLong(process.getFileName().toString());
            String command = read(process.resolve("comm")).strip();
            boolean peer = false;
            for (String arg : read(process.resolve("cmdline")).split("\0")) {
                peer |= arg.equals(PEER_MAIN) || arg.endsWith("/peer.jar") || arg.equals("peer.jar");
            }
            return new Owner(pid, command.isEmpty() ? "?" : command, peer);
        }

        private static String read(Path file) {
            try {
                return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }
    }
}
