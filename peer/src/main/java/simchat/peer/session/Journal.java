package simchat.peer.session;

import static java.util.Objects.requireNonNull;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import com.fasterxml.jackson.annotation.JsonInclude;

import simchat.peer.wire.Chat;

/**
 * The durable state of one chat, so that nothing typed is lost and nothing is shown twice across
 * outages, restarts and {@code kill -9}: our {@code epoch} (one per chat, so sequence numbers restart
 * safely in the next chat), the lines we sent that the peer has not acknowledged, for each epoch
 * of the peer the highest sequence number we showed, and in rendezvous mode where the two peers would
 * meet again.
 *
 * <p>The caller (the chat's event loop) never waits for the disk: every change is handed to one
 * {@link JournalWriter} thread, which appends many records per {@code fdatasync} (group commit) and
 * reports durability back on the caller's executor. A received message is marked shown and that mark
 * made durable before it is printed ({@link #shown}'s callback). A line we send may go on the wire while
 * its own record is in flight, but only with a sequence number from a block reserved durably beforehand
 * ({@link #sendableUpTo()}): a restart after a crash starts beyond every reserved number, so the peer never
 * drops a new line as the duplicate of one it saw before the crash. Opening compacts the file and locks it
 * (a {@code .lock} file next to it that is never deleted, so two processes always lock the same file).
 */
public final class Journal implements Closeable {

    /** Lines appended after which the file is rewritten with just the current state. */
    static final int COMPACT_AFTER = 10_000;
    /** Sequence numbers reserved durably at a time. */
    static final long RESERVE_BLOCK = 65_536;

    private JournalWriter writer;
    private final FileChannel lock;
    private final Path file;
    private final String epoch;
    private final List<Chat> unackedAtOpen;
    private final Map<String, Long> shownAtOpen;
    private final Map<String, Long> shown;
    private long lastSeq;
    private long reservationRequested;
    private long sendableUpTo;
    private Journal.Meeting meeting;
    private Runnable reserved = () -> { };

    private Journal(Path file, JournalWriter writer, FileChannel lock, JournalState state, long lastSeq,
                    long reservedUpTo) {
        this.file = file;
        this.writer = writer;
        this.lock = lock;
        this.epoch = state.epoch();
        this.lastSeq = lastSeq;
        this.unackedAtOpen = List.copyOf(state.unacked().values());
        this.shownAtOpen = Map.copyOf(state.shown());
        this.shown = new HashMap<>(state.shown());
        this.meeting = state.meeting();
        this.reservationRequested = reservedUpTo;
        this.sendableUpTo = reservedUpTo;
    }

    /** A journal that keeps everything in memory only: for a chat that need not survive this process. */
    public static Journal inMemory() {
        return new Journal(null, null, null, new JournalState(UUID.randomUUID().toString()), 0, Long.MAX_VALUE);
    }

    /**
     * Opens (or creates, 0600, in directories created 0700) the journal at {@code file}, replaying and then
     * compacting it; throws {@link InUseException} while another process has it open.
     */
    public static Journal open(Path file) throws IOException {
        return open(file, COMPACT_AFTER, JournalWriter::openAppender);
    }

    /** {@link #open(Path)}, compacting every {@code compactAfter} appended lines. */
    static Journal open(Path file, int compactAfter) throws IOException {
        return open(file, compactAfter, JournalWriter::openAppender);
    }

    /** {@link #open(Path, int)}, appending through the channel {@code appender} opens (for a disk that fails). */
    static Journal open(Path file, int compactAfter, JournalWriter.Appender appender) throws IOException {
        requireNonNull(file, "file");
        if (!Files.isDirectory(file.getParent())) {
            Files.createDirectories(file.getParent(),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        // The lock file is never deleted: a process that opened it just before a deletion would lock a file
        // no one else can find, while the next process creates and locks a new one, and both run the chat.
        FileChannel lock = FileChannel.open(lockFile(file), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
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
            JournalState state = Files.exists(file)
                    ? JournalState.replay(Files.readAllLines(file, StandardCharsets.UTF_8))
                    : new JournalState(UUID.randomUUID().toString());
            // The first block of sequence numbers is reserved by the compaction that opening does.
            long lastSeq = state.lastSeq();
            long reservedUpTo = lastSeq + RESERVE_BLOCK;
            state.apply(new Record(state.epoch(), reservedUpTo, null, null, null, null));
            Journal journal = new Journal(file, null, lock, state, lastSeq, reservedUpTo);
            journal.writer = JournalWriter.start(file, compactAfter, appender, state);
            return journal;
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    static Path lockFile(Path file) {
        return file.resolveSibling(file.getFileName() + ".lock");
    }

    /**
     * Where durability callbacks run (the chat's event loop), what runs when a new block of sequence numbers
     * is durably reserved, and what runs (once) if writing fails, e.g. a full disk: nothing written after
     * that is durable.
     */
    public void listen(Executor callbacks, Runnable reserved, Consumer<IOException> failed) {
        requireNonNull(callbacks, "callbacks");
        this.reserved = requireNonNull(reserved, "reserved");
        requireNonNull(failed, "failed");
        if (writer != null) {
            writer.callbacksOn(callbacks);
            writer.failure().whenComplete((v, e) -> {
                IOException cause = e instanceof IOException io ? io : new IOException(e);
                try {
                    callbacks.execute(() -> failed.accept(cause));
                } catch (java.util.concurrent.RejectedExecutionException over) {
                    // The chat is already over.
                }
            });
        }
    }

    /** Our epoch: the peer keys what it has shown by it. */
    public String epoch() {
        return epoch;
    }

    /** Lines sent but not acknowledged when the journal was opened, in order. */
    public List<Chat> unacked() {
        return unackedAtOpen;
    }

    /** The next sequence number to use in this epoch. */
    public long nextSeq() {
        return lastSeq + 1;
    }

    /**
     * The highest sequence number durably reserved: a line numbered up to it may go on the wire before its own
     * record is durable.
     */
    public long sendableUpTo() {
        return sendableUpTo;
    }

    /** The highest sequence number shown from the peer's epoch, 0 if none (marks still in flight included). */
    public long shownUpTo(String peerEpoch) {
        return shown.getOrDefault(peerEpoch, 0L);
    }

    /** The highest sequence number of the peer's epoch that an earlier run of this chat showed, 0 if none. */
    public long shownInEarlierRuns(String peerEpoch) {
        return shownAtOpen.getOrDefault(peerEpoch, 0L);
    }

    /**
     * Records a line we send. It may go on the wire at once if its number is at most {@link #sendableUpTo()};
     * otherwise once the reservation the journal asks for here is durable (the {@code reserved} listener).
     */
    public void sent(Chat chat) {
        lastSeq = Math.max(lastSeq, chat.seq());
        if (writer == null) {
            return;
        }
        writer.append(new Record(null, null, chat, null, null, null), true, null);
        // Ask for the next block while half of this one is left, so sending rarely waits for it.
        if (lastSeq + RESERVE_BLOCK / 2 > reservationRequested) {
            long upTo = Math.max(reservationRequested, lastSeq) + RESERVE_BLOCK;
            reservationRequested = upTo;
            writer.append(new Record(epoch, upTo, null, null, null, null), true, () -> {
                sendableUpTo = Math.max(sendableUpTo, upTo);
                reserved.run();
            });
        }
    }

    /** Records that the peer acknowledged everything up to {@code seq}; not forced, a lost ack only causes a resend. */
    public void acked(long seq) {
        if (writer != null) {
            writer.append(new Record(null, null, null, seq, null, null), false, null);
        }
    }

    /**
     * Marks a message of the peer's epoch as shown; {@code durable} runs (on the callback executor) once the
     * mark is on disk, and only then may the message be printed and acknowledged.
     */
    public void shown(String peerEpoch, long seq, Runnable durable) {
        shown.merge(peerEpoch, seq, Math::max);
        if (writer == null) {
            durable.run();
            return;
        }
        writer.append(new Record(null, null, null, null, new Shown(peerEpoch, seq), null), true, durable);
    }

    /**
     * Runs {@code task} (on the callback executor) after the callbacks of everything recorded before it, e.g. so
     * that the peer's bye is reported after the messages it sent before it have been shown.
     */
    public void afterEarlierRecords(Runnable task) {
        if (writer == null) {
            task.run();
        } else {
            writer.append(null, false, task);
        }
    }

    /** Where the two peers of a rendezvous-mode chat meet again, as last recorded; null if never. */
    public Meeting meeting() {
        return meeting;
    }

    /** Records where the two peers would meet again if this connection were lost; forced to disk. */
    public void meetAgainAt(Meeting meeting) {
        if (!meeting.equals(this.meeting)) {
            this.meeting = requireNonNull(meeting, "meeting");
            if (writer != null) {
                writer.append(new Record(null, null, null, null, null, meeting), true, null);
            }
        }
    }

    /** The chat ended on purpose: its state is no longer needed. Waits until the file is gone. */
    public void delete() throws IOException {
        await(deleteAsync());
    }

    /** {@link #delete()} without waiting: the future completes once the file is gone and the lock released. */
    public CompletableFuture<Void> deleteAsync() {
        return finish(true);
    }

    /** Completes once everything recorded so far is on disk (for tests and benchmarks). */
    CompletableFuture<Void> flushed() {
        return writer == null ? CompletableFuture.completedFuture(null) : writer.barrier();
    }

    /** How many times the file was forced to disk so far (for tests and benchmarks). */
    long syncs() {
        return writer == null ? 0 : writer.syncs();
    }

    /** Where the journal is kept, or null for one in memory. */
    public Path file() {
        return file;
    }

    /**
     * Writes what is still queued and closes the journal; one of a chat that never sent nor showed anything is
     * removed, as it holds nothing. Waits until that is done.
     */
    @Override
    public void close() throws IOException {
        await(closeAsync());
    }

    /** {@link #close()} without waiting. */
    public CompletableFuture<Void> closeAsync() {
        return finish(false);
    }

    private CompletableFuture<Void> finish(boolean delete) {
        if (writer == null) {
            return CompletableFuture.completedFuture(null);
        }
        return writer.finish(delete).whenComplete((v, e) -> {
            try {
                lock.close();
            } catch (IOException ignored) {
                // Closing releases the lock even when it reports an error.
            }
        });
    }

    private static void await(CompletableFuture<Void> done) throws IOException {
        try {
            done.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            throw e;
        }
    }

    /** Another process (another peer running the same chat) has this journal open. */
    public static final class InUseException extends IOException {
        InUseException(Path file) {
            super(file + " is in use by another peer process running the same chat");
        }
    }

    /**
     * One line of the journal: the epoch (with the last sequence number used or reserved), a sent line, an
     * ack, a shown mark or a place to meet again.
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
