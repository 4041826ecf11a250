package simchat.peer.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import io.netty.buffer.ByteBuf;
import simchat.peer.wire.FileDone;

/**
 * Where the file being received goes, on the file thread only: a temporary file next to its final place (created
 * new, owner-only, never through a symbolic link), hashed as it is written; once the SHA-256 matches it gets its
 * final name without overwriting anything ({@code report (1).pdf}) and at most the sender's permission bits.
 */
final class Sink {

    /** How the file ended: {@code status} as in {@code FileDone}; {@code savedAs} its final path if kept. */
    record Verdict(String status, String savedAs, String reason, boolean diskError) {
    }

    /** Bytes written between two syncs of the file under way. */
    static final long SYNC_EVERY = 16L * 1024 * 1024;

    private FileChannel out;
    private Path temp;
    private Path dir;
    private String name;
    private int mode;
    private MessageDigest digest;
    private IOException error;
    private long unsynced;

    /**
     * Starts file {@code index}: {@code parts} are its checked path components below {@code root}; directories
     * are created one by one, and a component that exists as a symbolic link or a file is refused.
     */
    void open(Path root, List<String> parts, int id, int index, int mode) {
        discard();
        error = null;
        this.mode = mode;
        this.name = parts.get(parts.size() - 1);
        try {
            Path d = root;
            for (String part : parts.subList(0, parts.size() - 1)) {
                d = d.resolve(part);
                if (Files.isSymbolicLink(d)) {
                    throw new IOException(d + " is a symbolic link, which is never followed");
                }
                if (!Files.exists(d, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectory(d);
                } else if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
                    throw new IOException(d + " exists and is not a folder");
                }
            }
            dir = d;
            temp = d.resolve(".simchat-" + id + "-" + index + "-"
                    + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".part");
            out = FileChannel.open(temp, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(EnumSet.of(PosixFilePermission.OWNER_READ,
                            PosixFilePermission.OWNER_WRITE)));
            digest = SourceReader.sha256();
        } catch (IOException | UnsupportedOperationException e) {
            fail(e instanceof IOException io ? io : new IOException(e.getMessage()));
        }
    }

    /** Appends {@code data} (the caller releases it); returns the failure if this write is the one that failed. */
    IOException write(ByteBuf data) {
        if (out == null || error != null) {
            return null;
        }
        ByteBuffer bytes = data.nioBuffer();
        digest.update(bytes.duplicate());
        try {
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
            unsynced += data.readableBytes();
            if (unsynced >= SYNC_EVERY) {
                // Keeps the dirty pages of a large file few, so the chat journal's syncs do not wait behind them.
                out.force(false);
                unsynced = 0;
            }
        } catch (IOException e) {
            fail(e);
            return e;
        }
        return null;
    }

    /** The file is complete: checks {@code sha256} (null with the sender's {@code problem}) and names it. */
    Verdict finish(String sha256, String problem) {
        if (error != null) {
            String reason = "cannot write " + (temp == null ? name : temp.getParent()) + ": " + error.getMessage();
            discard();
            return new Verdict(FileDone.FAILED, null, reason, true);
        }
        if (problem != null) {
            discard();
            return new Verdict(FileDone.FAILED, null, "the sender: " + problem, false);
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        try {
            out.close();
            out = null;
            if (!actual.equals(sha256)) {
                discard();
                return new Verdict(FileDone.MISMATCH, null, "SHA-256 " + actual + ", expected "
                        + sha256, false);
            }
            Files.setPosixFilePermissions(temp, permissions(mode));
            Path saved = rename();
            temp = null;
            return new Verdict(FileDone.OK, saved.toString(), null, false);
        } catch (IOException | UnsupportedOperationException e) {
            String reason = "cannot keep " + name + " in " + dir + ": " + e.getMessage();
            discard();
            return new Verdict(FileDone.FAILED, null, reason, true);
        }
    }

    /** Gives the verified file the first free name: a hard link never replaces an existing file. */
    private Path rename() throws IOException {
        for (int n = 0; ; n++) {
            Path target = dir.resolve(FreeNames.candidate(name, n, false));
            try {
                Files.createLink(target, temp);
                Files.delete(temp);
                return target;
            } catch (FileAlreadyExistsException e) {
                // Taken (perhaps a moment ago): the next name.
            } catch (UnsupportedOperationException e) {
                if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    Files.move(temp, target);
                    return target;
                }
            }
        }
    }

    /** Drops the file under way, if any, and its temporary name. */
    void discard() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                // Deleted next anyway.
            }
            out = null;
        }
        if (temp != null) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                // Nothing more to do: a stray .part file stays.
            }
            temp = null;
        }
    }

    private void fail(IOException e) {
        error = e;
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // The first failure is the one to tell.
            }
            out = null;
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission p : PosixFilePermission.values()) {
            if ((mode & (1 << (8 - p.ordinal()))) != 0) {
                perms.add(p);
            }
        }
        return perms;
    }
}
