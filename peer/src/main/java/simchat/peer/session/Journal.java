package simchat.peer.session;

import static java.util.Objects.requireNonNull;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;

import simchat.peer.wire.Chat;
import simchat.peer.wire.Json;

/**
 * The durable state of one chat, so that nothing typed is lost and nothing is shown twice across
 * outages, restarts and {@code kill -9}: our {@code epoch} (one per chat, so sequence numbers restart
 * safely in the next chat), the lines we sent that the peer has not acknowledged, for each epoch
 * of the peer the highest sequence number we showed, and in rendezvous mode where the two peers would
 * meet again.
 *
 * <p>An append-only file of JSON lines. A line we sent and a line we showed are forced to disk before
 * anything else happens with them (sent: before it goes on the wire; shown: before it is printed and
 * acknowledged); acknowledgements are not forced, since losing one only causes a resend that the peer
 * drops as a duplicate. A torn last line from a crash is ignored. Opening compacts the file and locks it
 * (a {@code .lock} file next to it), so that two processes never share one chat's journal; a long chat
 * compacts it again every {@link #COMPACT_AFTER} lines.
 */
public final class Journal implements Closeable {

    /** Lines appended after which the file is rewritten with just the current state. */
    static final int COMPACT_AFTER = 10_000;

    private final Path file;
    private final int compactAfter;
    private final FileChannel lock;
    private final String epoch;
    private final LinkedHashMap<Long, Chat> unacked;
    private final Map<String, Long> shown;
    private long lastSeq;
    private Meeting meeting;
    private FileChannel out;
    private int appended;

    private Journal(Path file, int compactAfter, FileChannel lock, String epoch, long lastSeq,
                    LinkedHashMap<Long, Chat> unacked, Map<String, Long> shown, Meeting meeting) {
        this.file = file;
        this.compactAfter = compactAfter;
        this.lock = lock;
        this.epoch = epoch;
        this.lastSeq = lastSeq;
        this.unacked = unacked;
        this.shown = shown;
        this.meeting = meeting;
    }

    /** A journal that keeps everything in memory only: for a chat that need not survive this process. */
    public static Journal inMemory() {
        return new Journal(null, COMPACT_AFTER, null, UUID.randomUUID().toString(), 0, new LinkedHashMap<>(),
                new HashMap<>(), null);
    }

    /**
     * Opens (or creates, 0600, in directories created 0700) the journal at {@code file}, replaying and then
     * compacting it; throws {@link InUseException} while another process has it open.
     */
    public static Journal open(Path file) throws IOException {
        return open(file, COMPACT_AFTER);
    }

    /** {@link #open(Path)}, compacting every {@code compactAfter} appended lines. */
    static Journal open(Path file, int compactAfter) throws IOException {
        requireNonNull(file, "file");
        if (!Files.isDirectory(file.getParent())) {
            Files.createDirectories(file.getParent(),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
        FileChannel lock = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            if (lock.tryLock() == null) {
                throw new InUseException(file);
            }
        } catch (OverlappingFileLockException e) {
            lock.close();
            throw new InUseException(file);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
        try {
            return replay(file, compactAfter, lock);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private static Journal replay(Path file, int compactAfter, FileChannel lock) throws IOException {
        String epoch = null;
        long lastSeq = 0;
        LinkedHashMap<Long, Chat> unacked = new LinkedHashMap<>();
        Map<String, Long> shown = new HashMap<>();
        Meeting meeting = null;
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                Record record = parse(line);
                if (record == null) {
                    continue;
                }
                if (record.epoch() != null) {
                    epoch = record.epoch();
                    lastSeq = Math.max(lastSeq, record.lastSeq() == null ? 0 : record.lastSeq());
                }
                if (record.sent() != null) {
                    unacked.put(record.sent().seq(), record.sent());
                    lastSeq = Math.max(lastSeq, record.sent().seq());
                }
                if (record.acked() != null) {
                    unacked.keySet().removeIf(seq -> seq <= record.acked());
                }
                if (record.shown() != null) {
                    shown.merge(record.shown().epoch(), record.shown().seq(), Math::max);
                }
                if (record.meet() != null) {
                    meeting = record.meet();
                }
            }
        }
        Journal journal = new Journal(file, compactAfter, lock, epoch != null ? epoch : UUID.randomUUID().toString(),
                lastSeq, unacked, shown, meeting);
        journal.compact();
        return journal;
    }

    /** Our epoch: the peer keys what it has shown by it. */
    public String epoch() {
        return epoch;
    }

    /** Lines sent but not yet acknowledged, in order. */
    public List<Chat> unacked() {
        return List.copyOf(unacked.values());
    }

    /** The next sequence number to use in this epoch. */
    public long nextSeq() {
        return lastSeq + 1;
    }

    /** The highest sequence number shown from the peer's epoch, 0 if none. */
    public long shownUpTo(String peerEpoch) {
        return shown.getOrDefault(peerEpoch, 0L);
    }

    /** Records a line before it is sent; forced to disk. */
    public void sent(Chat chat) {
        unacked.put(chat.seq(), chat);
        lastSeq = Math.max(lastSeq, chat.seq());
        append(new Record(null, null, chat, null, null, null), true);
    }

    /** Records that the peer acknowledged everything up to {@code seq}. */
    public void acked(long seq) {
        if (unacked.keySet().removeIf(s -> s <= seq)) {
            append(new Record(null, null, null, seq, null, null), false);
        }
    }

    /** Records that a message of the peer's epoch is being shown; forced to disk before it is. */
    public void shown(String peerEpoch, long seq) {
        shown.merge(peerEpoch, seq, Math::max);
        append(new Record(null, null, null, null, new Shown(peerEpoch, seq), null), true);
    }

    /** Where the two peers of a rendezvous-mode chat meet again, as last recorded; null if never. */
    public Meeting meeting() {
        return meeting;
    }

    /** Records where the two peers would meet again if this connection were lost; forced to disk. */
    public void meetAgainAt(Meeting meeting) {
        if (!meeting.equals(this.meeting)) {
            this.meeting = requireNonNull(meeting, "meeting");
            append(new Record(null, null, null, null, null, meeting), true);
        }
    }

    /** The chat ended on purpose: its state is no longer needed. */
    public void delete() throws IOException {
        if (file != null) {
            Files.deleteIfExists(file);
            // Deleted while still locked, so that no other process opens the old state in between.
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".lock"));
        }
        close();
    }

    /** Where the journal is kept, or null for one in memory. */
    public Path file() {
        return file;
    }

    /** Closes the journal; one of a chat that never sent nor showed anything is removed, as it holds nothing. */
    @Override
    public void close() throws IOException {
        if (out != null) {
            out.close();
            out = null;
            if (lastSeq == 0 && shown.isEmpty()) {
                Files.deleteIfExists(file);
                Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".lock"));
            }
        }
        if (lock != null) {
            lock.close();
        }
    }

    /** Rewrites the file with just the current state, so it never grows without bound. */
    private void compact() throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        List<String> lines = new ArrayList<>();
        lines.add(format(new Record(epoch, lastSeq, null, null, null, meeting)));
        shown.forEach((peerEpoch, seq) -> lines.add(format(new Record(null, null, null, null, new Shown(peerEpoch, seq), null))));
        unacked.values().forEach(chat -> lines.add(format(new Record(null, null, chat, null, null, null))));
        Files.deleteIfExists(temp);
        Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        }
        try {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        appended = 0;
    }

    private void append(Record record, boolean force) {
        if (out == null) {
            return;   // in memory, or the chat is over
        }
        try {
            out.write(ByteBuffer.wrap((format(record) + "\n").getBytes(StandardCharsets.UTF_8)));
            if (force) {
                out.force(false);
            }
            if (++appended >= compactAfter) {
                out.close();
                compact();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static String format(Record record) {
        try {
            return Json.MAPPER.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Record parse(String line) {
        try {
            return Json.MAPPER.readValue(line, Record.class);
        } catch (JsonProcessingException e) {
            return null;   // a line torn by a crash
        }
    }

    /** Another process (another peer running the same chat) has this journal open. */
    public static final class InUseException extends IOException {
        InUseException(Path file) {
            super(file + " is in use by another peer process running the same chat");
        }
    }

    /**
     * One line of the journal: the epoch (with the last sequence number used), a sent line, an ack, a shown
     * mark or a place to meet again.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Record(String epoch, Long lastSeq, Chat sent, Long acked, Shown shown, Meeting meet) {
    }

    /**
     * Where two peers introduced by a rendezvous meet again: the whole invite code (which authenticates the
     * peer) and the name of the room derived from it and both peers' hellos.
     */
    public record Meeting(String code, String place) {
        public Meeting {
            requireNonNull(code, "code");
            requireNonNull(place, "place");
        }
    }

    /** A peer epoch's highest shown sequence number. */
    record Shown(String epoch, long seq) {
    }
}
