package simchat.peer.tls;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The few threads that do what a Netty event loop must never wait for: J-PAKE's arithmetic, TLS's
 * handshake tasks (signatures and the trust decision) and the {@code known_peers} file with its lock.
 * Results go back to the channel with {@code channel.eventLoop().execute(...)}.
 */
final class OffLoop {

    /** A peer runs one chat at a time: two threads keep a reconnect's handshake apart from a slow lock. */
    private static final int THREADS = 2;
    /** Idle threads end, so a run leaves nothing to shut down and a quiet chat holds no thread. */
    private static final long IDLE_SECONDS = 5;

    private OffLoop() {
    }

    /** A fresh pool of daemon threads named {@code simchat-offloop-N}, started on demand. */
    static Executor newExecutor() {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory threads = task -> {
            Thread thread = new Thread(task, "simchat-offloop-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, IDLE_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), threads);
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
