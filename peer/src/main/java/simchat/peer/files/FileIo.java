package simchat.peer.files;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that touches files for transfers (reads, writes, hashing, directory walks, free-space checks), so
 * the event loop never does. Its queue is bounded by the transfers' windows: a sender has at most
 * {@link Outgoing#MAX_READS} reads queued per transfer, and a receiver at most one window of bytes to write.
 */
public final class FileIo implements AutoCloseable {

    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "peer-files");
        t.setDaemon(true);
        return t;
    });

    /** Runs {@code task} on the file thread, in order; nothing once closed. */
    void execute(Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException e) {
            // Closed: the chat is over and nothing waits for this any more.
        }
    }

    /** Finishes the queued work (temporary files are removed by it), for at most two seconds. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
