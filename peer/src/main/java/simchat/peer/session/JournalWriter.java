package simchat.peer.session;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;

/**
 * The one thread that writes a journal file: it takes every record queued since its last write, appends them
 * with one {@code write}, forces them with one {@code fdatasync} if any of them must be durable (group commit),
 * and then runs their callbacks, in order, in one task on the callback executor. It also compacts the file
 * every so many records and, at the end, closes or deletes it. After a write fails (a full disk) it writes
 * nothing more and runs no callback: {@link #failure()} says why.
 *
 * <p>The queue has no fixed capacity but is bounded by the chat: lines we send wait for room in the
 * session's input bound, marks of lines we show for room in its receive window.
 */
final class JournalWriter implements Runnable {

    /** Opens the channel records are appended through. */
    @FunctionalInterface
    interface Appender {
        FileChannel open(Path file) throws IOException;
    }

    /** Records written (and forced) together at most. */
    static final int MAX_BATCH = 8_192;

    private final Path file;
    private final int compactAfter;
    private final Appender appender;
    private final JournalState state;
    private final BlockingQueue<Op> queue = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> failure = new CompletableFuture<>();
    private volatile Executor callbacks = Runnable::run;
    private FileChannel out;
    private int appended;
    private volatile long syncs;

    private JournalWriter(Path file, int compactAfter, Appender appender, JournalState state) {
        this.file = file;
        this.compactAfter = compactAfter;
        this.appender = appender;
        this.state = state;
    }

    /** Compacts the file (on the calling thread, so that opening fails on a disk that cannot be written) and starts. */
    static JournalWriter start(Path file, int compactAfter, Appender appender, JournalState state) throws IOException {
        JournalWriter writer = new JournalWriter(file, compactAfter, appender, state);
        writer.compact();
        Thread thread = new Thread(writer, "journal-writer");
        thread.setDaemon(true);
        thread.start();
        return writer;
    }

    static FileChannel openAppender(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    /** Where callbacks run from now on. */
    void callbacksOn(Executor executor) {
        this.callbacks = executor;
    }

    /** Queues a record; {@code durable} (if not null) runs once it is written, and forced if {@code force}. */
    void append(Journal.Record record, boolean force, Runnable durable) {
        queue.add(new Append(record, force, durable));
    }

    /** Queues the end: the file is closed (or deleted) after everything queued before. */
    CompletableFuture<Void> finish(boolean delete) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        queue.add(new Finish(delete, done));
        return done;
    }

    /** Completes once everything queued before is written and forced. */
    CompletableFuture<Void> barrier() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        queue.add(new Append(null, true, () -> done.complete(null)));
        return done;
    }

    /** Completes exceptionally, with the cause, once a write failed; never completes normally. */
    CompletableFuture<Void> failure() {
        return failure;
    }

    /** How many times the file was forced to disk (for tests and benchmarks). */
    long syncs() {
        return syncs;
    }

    @Override
    public void run() {
        List<Op> batch = new ArrayList<>();
        while (true) {
            batch.clear();
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            StringBuilder text = new StringBuilder();
            List<Runnable> durable = new ArrayList<>();
            boolean force = false;
            int records = 0;
            Finish finish = null;
            for (Op op : batch) {
                if (op instanceof Finish f) {
                    finish = f;
                    break;
                }
                Append a = (Append) op;
                if (a.record() != null && state.apply(a.record())) {
                    text.append(JournalState.format(a.record())).append('\n');
                    records++;
                }
                force |= a.force();
                if (a.durable() != null) {
                    durable.add(a.durable());
                }
            }
            if (!failure.isDone() && (records > 0 || force)) {
                try {
                    write(text, force);
                    appended += records;
                    if (appended >= compactAfter) {
                        out.close();
                        compact();
                    }
                } catch (IOException | RuntimeException e) {
                    failure.completeExceptionally(e instanceof IOException ? e
                            : new IOException(e.getMessage(), e));
                }
            }
            if (!failure.isDone() && !durable.isEmpty()) {
                try {
                    callbacks.execute(() -> durable.forEach(Runnable::run));
                } catch (RejectedExecutionException e) {
                    // The chat is over and its loop gone: no one waits for these any more.
                }
            }
            if (finish != null) {
                end(finish);
                return;
            }
        }
    }

    private void write(CharSequence text, boolean force) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            out.write(bytes);
        }
        if (force) {
            out.force(false);
            syncs++;
        }
    }

    private void end(Finish finish) {
        try {
            if (out != null) {
                out.close();
                out = null;
            }
            if (finish.delete() || !state.touched()) {
                Files.deleteIfExists(file);
            }
            finish.done().complete(null);
        } catch (IOException | RuntimeException e) {
            finish.done().completeExceptionally(e);
        }
    }

    /** Rewrites the file with just the current state, so it never grows without bound. */
    private void compact() throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            ByteBuffer bytes = ByteBuffer.wrap((String.join("\n", state.compacted()) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        try {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        out = appender.open(file);
        appended = 0;
    }

    /** One thing for the writer to do. */
    private sealed interface Op permits Append, Finish {
    }

    /** Append a record. */
    private record Append(Journal.Record record, boolean force, Runnable durable) implements Op {
    }

    /** Close (or delete) the file. */
    private record Finish(boolean delete, CompletableFuture<Void> done) implements Op {
    }
}
