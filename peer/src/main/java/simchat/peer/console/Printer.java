package simchat.peer.console;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;

/**
 * A console that prints on a thread of its own through a bounded queue, so that no caller (the event loop
 * above all) ever waits for a terminal or a pipe that is not being read. A chat message comes with a task
 * that runs once it has been printed (the session acknowledges it then); the session's receive window bounds
 * how many messages wait, and room for that many is kept free of status lines. Status lines beyond their
 * own bound, which only an output blocked for a long time accumulates, are counted instead and the count
 * printed once output moves again. A {@linkplain #status slot of the status line} is a state, not a line: only
 * its latest text is kept, shown after the lines queued before it. {@link #close()} waits until everything queued has been
 * printed.
 */
public final class Printer implements Console {

    /** Lines printed with one write at most, before the messages among them are acknowledged. */
    static final int PRINT_CHUNK = 256;

    /** Status lines that may wait besides the messages. */
    public static final int STATUS_CAPACITY = 1_024;

    private final Console sink;
    private final int messageCapacity;
    private final IntFunction<String> droppedNotice;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    /** Status-line slots changed since the printer last showed them: only the latest text of each counts. */
    private final LinkedHashMap<String, Optional<String>> slots = new LinkedHashMap<>();
    private final Thread thread;
    private int statuses;
    private int messages;
    private int dropped;
    private boolean closing;

    /**
     * Prints to {@code sink}; at most {@code messageCapacity} messages may wait; {@code droppedNotice} words the
     * line that says how many status lines were not shown.
     */
    public Printer(Console sink, int messageCapacity, IntFunction<String> droppedNotice) {
        this.sink = requireNonNull(sink, "sink");
        this.messageCapacity = messageCapacity;
        this.droppedNotice = requireNonNull(droppedNotice, "droppedNotice");
        this.thread = new Thread(this::run, "peer-printer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a status line; never waits. */
    @Override
    public void println(String line) {
        lock.lock();
        try {
            if (closing) {
                return;
            }
            if (statuses >= STATUS_CAPACITY) {
                dropped++;
                return;
            }
            statuses++;
            queue.addLast(new Entry(line, null));
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues a message line (null: nothing to print); {@code printed} runs on the printer thread once it has
     * been. Never waits; more than the capacity of messages is a bug of the caller's flow control.
     */
    public void println(String line, Runnable printed) {
        requireNonNull(printed, "printed");
        lock.lock();
        try {
            if (closing) {
                return;
            }
            if (messages >= messageCapacity) {
                throw new IllegalStateException("more than " + messageCapacity + " messages wait to be printed");
            }
            messages++;
            queue.addLast(new Entry(line, printed));
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Sets a slot of the status line (null clears it), shown by the printer thread; never waits. */
    @Override
    public void status(String slot, String text) {
        lock.lock();
        try {
            if (closing) {
                return;
            }
            slots.put(slot, Optional.ofNullable(text));
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onTyping(Runnable typing) {
        sink.onTyping(typing);
    }

    /** How many lines wait to be printed. */
    public int waiting() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void readLines(LineChunker.Sink lines) throws IOException {
        sink.readLines(lines);
    }

    @Override
    public void readLines(LineChunker.Sink lines, Runnable interrupted) throws IOException {
        sink.readLines(lines, interrupted);
    }

    @Override
    public boolean interactive() {
        return sink.interactive();
    }

    /** Prints everything still queued, then stops the printer thread; the sink is left open. */
    @Override
    public void close() {
        lock.lock();
        try {
            closing = true;
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<Entry> batch = new ArrayList<>();
        Map<String, Optional<String>> statusChanges = new LinkedHashMap<>();
        while (true) {
            int notShown;
            lock.lock();
            try {
                while (queue.isEmpty() && dropped == 0 && slots.isEmpty() && !closing) {
                    notEmpty.awaitUninterruptibly();
                }
                if (queue.isEmpty() && dropped == 0 && slots.isEmpty()) {
                    return;
                }
                batch.addAll(queue);
                queue.clear();
                statusChanges.putAll(slots);
                slots.clear();
                notShown = dropped;
                dropped = 0;
            } finally {
                lock.unlock();
            }
            for (int from = 0; from < batch.size(); from += PRINT_CHUNK) {
                print(batch.subList(from, Math.min(batch.size(), from + PRINT_CHUNK)));
            }
            if (notShown > 0) {
                sink.println(droppedNotice.apply(notShown));
            }
            // After the lines: a count of pending lines changes with the line that was just printed.
            statusChanges.forEach((slot, text) -> sink.status(slot, text.orElse(null)));
            statusChanges.clear();
            batch.clear();
        }
    }

    /**
     * Prints a chunk of entries with one write, then frees their room and runs their tasks: the session
     * acknowledges messages chunk by chunk, so the sender's window keeps sliding during a long paste.
     */
    private void print(List<Entry> chunk) {
        List<String> lines = new ArrayList<>(chunk.size());
        for (Entry entry : chunk) {
            if (entry.line() != null) {
                lines.add(entry.line());
            }
        }
        sink.printlnAll(lines);
        // Room is freed before the acknowledgements go out, so the messages they let in find it.
        lock.lock();
        try {
            for (Entry entry : chunk) {
                if (entry.printed() == null) {
                    statuses--;
                } else {
                    messages--;
                }
            }
        } finally {
            lock.unlock();
        }
        for (Entry entry : chunk) {
            if (entry.printed() != null) {
                entry.printed().run();
            }
        }
    }

    /** A line to print, and for a message what to do once it is printed. */
    private record Entry(String line, Runnable printed) {
    }
}
