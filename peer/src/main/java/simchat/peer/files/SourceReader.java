package simchat.peer.files;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import simchat.peer.wire.FileBegin;
import simchat.peer.wire.FileData;
import simchat.peer.wire.FileEnd;

/**
 * Turns the files of an outgoing transfer into frames, one at a time, on the file thread only: for each file a
 * {@link FileBegin}, {@link FileData} chunks read into pooled buffers (hashed on the way), and a {@link FileEnd}
 * with the SHA-256, or with a problem when the file changed since the offer or cannot be read.
 */
final class SourceReader {

    /**
     * Bytes per data frame: eight TLS records, and a read the disk likes; large enough that the hand-over between
     * the file thread and the event loop costs little per byte.
     */
    static final int CHUNK = 128 * 1024;

    private final int id;
    private final Source source;
    private final Deque<Integer> queue = new ArrayDeque<>();
    private int retries;
    private int index = -1;
    private FileChannel file;
    private long position;
    private MessageDigest digest;
    /** Why the file just begun cannot be sent, if it cannot. */
    private String pendingProblem;

    SourceReader(int id, Source source) {
        this.id = id;
        this.source = source;
        for (int i = 0; i < source.entries().size(); i++) {
            queue.add(i);
        }
    }

    /** File {@code index} is sent once more after those queued (the receiver's hash did not match). */
    void retry(int index) {
        queue.add(index);
        retries++;
    }

    /** How many {@link #retry}s it has been given. */
    int retries() {
        return retries;
    }

    /** The next frame, or null when every queued file has been sent. */
    Object next(ByteBufAllocator alloc) {
        if (index < 0) {
            Integer next = queue.poll();
            if (next == null) {
                return null;
            }
            index = next;
            Source.Entry entry = source.entries().get(index);
            String problem = open(entry);
            FileBegin begin = new FileBegin(id, index, entry.path(), entry.size(), entry.mode());
            // With a problem the receiver hears of the file, and at once that it will not come.
            pendingProblem = problem;
            return begin;
        }
        if (pendingProblem != null) {
            return end(null, pendingProblem);
        }
        Source.Entry entry = source.entries().get(index);
        try {
            if (position == entry.size()) {
                String changed = changed(entry);
                return changed != null ? end(null, changed) : end(HexFormat.of().formatHex(digest.digest()), null);
            }
            int n = (int) Math.min(CHUNK, entry.size() - position);
            ByteBuf buf = alloc.ioBuffer(n);
            boolean done = false;
            try {
                while (buf.writerIndex() < n) {
                    int read = buf.writeBytes(file, position + buf.writerIndex(), n - buf.writerIndex());
                    if (read < 0) {
                        return end(null, "it shrank since it was offered");
                    }
                }
                digest.update(buf.nioBuffer());
                FileData data = new FileData(id, position, buf);
                position += n;
                done = true;
                return data;
            } finally {
                if (!done) {
                    buf.release();
                }
            }
        } catch (IOException e) {
            return end(null, "cannot read it: " + e.getMessage());
        }
    }

    private FileEnd end(String sha256, String problem) {
        FileEnd end = new FileEnd(id, index, sha256, problem);
        close();
        pendingProblem = null;
        index = -1;
        return end;
    }

    private String open(Source.Entry entry) {
        try {
            file = FileChannel.open(entry.file(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
            position = 0;
            digest = sha256();
            return changed(entry);
        } catch (IOException e) {
            return "cannot read it: " + e.getMessage();
        }
    }

    /** Null if the file is as offered, else what changed. */
    private static String changed(Source.Entry entry) throws IOException {
        BasicFileAttributes now = Files.readAttributes(entry.file(), BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        if (now.size() != entry.size()) {
            return "it changed since it was offered (" + entry.size() + " bytes then, " + now.size() + " now)";
        }
        if (now.lastModifiedTime().toMillis() != entry.modified()) {
            return "it was modified since it was offered";
        }
        return null;
    }

    /** Closes the file being read, if any. */
    void close() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                // Only read from: nothing is lost.
            }
            file = null;
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
