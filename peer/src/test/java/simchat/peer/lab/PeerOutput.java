package simchat.peer.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reads a process' standard output line by line on a thread of its own, stamping each line with the time it
 * arrived; {@link #pause()} stops reading (the pipe fills and the process' writes block) until
 * {@link #resume()}.
 */
final class PeerOutput {

    /** One printed line and when it was read. */
    record Line(String text, long nanos) {
    }

    private final BlockingQueue<Line> lines = new LinkedBlockingQueue<>();
    private final List<String> all = new ArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition resumed = lock.newCondition();
    private boolean paused;

    PeerOutput(InputStream out, String name) {
        Thread reader = new Thread(() -> read(out), "output-of-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    private void read(InputStream out) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8), 1 << 16)) {
            while (true) {
                awaitResumed();
                String line = reader.readLine();
                if (line == null) {
                    return;
                }
                lines.add(new Line(line, System.nanoTime()));
                synchronized (all) {
                    all.add(line);
                }
            }
        } catch (IOException e) {
            // The process ended.
        }
    }

    private void awaitResumed() {
        lock.lock();
        try {
            while (paused) {
                resumed.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Stops reading after the line being read now. */
    void pause() {
        lock.lock();
        try {
            paused = true;
        } finally {
            lock.unlock();
        }
    }

    void resume() {
        lock.lock();
        try {
            paused = false;
            resumed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The next line, waiting at most {@code within}; fails with everything printed if none comes. */
    Line next(Duration within) throws InterruptedException {
        Line line = lines.poll(within.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null) {
            List<String> printed = all();
            throw new AssertionError("no output within " + within + "; printed so far (last 20): "
                    + printed.subList(Math.max(0, printed.size() - 20), printed.size()));
        }
        return line;
    }

    /** Waits for a line containing {@code text}, consuming the lines before it. */
    Line await(String text, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            Line line = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (line.text().contains(text)) {
                return line;
            }
        }
    }

    /** Every line read so far. */
    List<String> all() {
        synchronized (all) {
            return List.copyOf(all);
        }
    }
}
