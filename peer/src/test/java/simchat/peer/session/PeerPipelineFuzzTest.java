package simchat.peer.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import simchat.peer.Outcome;
import simchat.peer.console.ChatEvent;
import simchat.peer.wire.Ack;
import simchat.peer.wire.Bye;
import simchat.peer.wire.Chat;
import simchat.peer.wire.Hello;
import simchat.peer.wire.Json;
import simchat.peer.wire.Ping;
import simchat.peer.wire.Pong;

/**
 * Feeds random and mutated frames through the whole per-connection pipeline, as a hostile peer
 * could: nothing may escape as an exception, end as an internal error, hang, or pile up in memory.
 * A frame that breaks the protocol ends that connection; the fuzzer then starts a new one.
 */
class PeerPipelineFuzzTest {

    private static final int FRAMES = Integer.getInteger("fuzz.frames", 1_000_000);
    /**
     * Independent streams of frames, each from a seed of its own, fed on threads of their own: the machine's
     * cores share the million frames. Fixed, not the number of processors, so every machine feeds the same frames.
     */
    private static final int SHARDS = 2;
    private static final Hello OURS = new Hello(Hello.PROTOCOL_VERSION, "alice", "aaaa");
    private static final String[] VALID = {
            Json.format(new Hello(Hello.PROTOCOL_VERSION, "bob", "bbbb")),
            Json.format(new Chat("m1", 1, 1000, "hello \u001b[31m world")),
            Json.format(new Chat("m2", 2, 1000, "😀 bidi \u202e text")),
            Json.format(new Ack(1)),
            Json.format(new Ping(5)),
            Json.format(new Pong(5)),
            Json.format(new Bye("because")),
    };
    private static final String[] TOKENS = {
            "{", "}", "[", "]", ":", ",", "\"", "\\", "\\u0000", "\\ud800", "null", "true", "-0", "1e999",
            "99999999999999999999", "\"type\"", "\"chat\"", "\"seq\"", "\"text\"", "\u0000", "\u00ff", "\r", " ",
    };

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void survivesAMillionHostileFrames() throws Exception {
        long heapBefore = usedHeap();
        ExecutorService threads = Executors.newFixedThreadPool(SHARDS);
        try {
            List<Future<Shard>> futures = new ArrayList<>();
            for (int s = 0; s < SHARDS; s++) {
                long seed = 20261126 + s;
                int frames = FRAMES / SHARDS + (s < FRAMES % SHARDS ? 1 : 0);
                futures.add(threads.submit(() -> fuzz(new Random(seed), frames)));
            }
            long connections = 0;
            long protocolErrors = 0;
            long shown = 0;
            for (Future<Shard> future : futures) {
                Shard shard = result(future);
                connections += shard.connections();
                protocolErrors += shard.protocolErrors();
                shown += shard.shown();
            }
            long heapGrowth = usedHeap() - heapBefore;
            System.out.printf("fuzz: %,d frames over %,d connections in %d shards, %,d protocol errors, %,d messages "
                    + "shown, heap growth %,d KiB%n", FRAMES, connections, SHARDS, protocolErrors, shown, heapGrowth / 1024);
            assertThat(connections).as("malformed frames must end connections").isGreaterThan(FRAMES / 100);
            assertThat(heapGrowth).as("heap retained after the run").isLessThan(64L * 1024 * 1024);
        } finally {
            threads.shutdownNow();
        }
    }

    /** What one shard's frames did. */
    private record Shard(long connections, long protocolErrors, long shown) {
    }

    /** Feeds {@code frames} frames drawn from {@code random} through one connection after another. */
    private static Shard fuzz(Random random, int frames) {
        AtomicLong shown = new AtomicLong();
        long connections = 0;
        long protocolErrors = 0;
        Connection connection = null;
        for (int i = 0; i < frames; i++) {
            if (connection == null || !connection.channel.isOpen()) {
                if (connection != null) {
                    protocolErrors += connection.end();
                }
                connection = new Connection(shown, random.nextInt(4) > 0);
                connections++;
            }
            ByteBuf frame = frame(random);
            connection.lastFrame = frame.toString(StandardCharsets.UTF_8);
            connection.channel.writeInbound(frame);
            drain(connection.channel);
        }
        if (connection != null) {
            protocolErrors += connection.end();
        }
        return new Shard(connections, protocolErrors, shown.get());
    }

    /** The shard's result; its assertion failure, if any, as this test's own. */
    private static Shard result(Future<Shard> future) throws Exception {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    private static ByteBuf frame(Random random) {
        byte[] bytes;
        switch (random.nextInt(6)) {
            case 0 -> bytes = VALID[random.nextInt(VALID.length)].getBytes(StandardCharsets.UTF_8);
            case 1 -> bytes = mutate(VALID[random.nextInt(VALID.length)].getBytes(StandardCharsets.UTF_8), random);
            case 2 -> {
                bytes = new byte[random.nextInt(200)];
                random.nextBytes(bytes);
            }
            case 3 -> {
                StringBuilder text = new StringBuilder();
                for (int t = random.nextInt(30); t > 0; t--) {
                    text.append(TOKENS[random.nextInt(TOKENS.length)]);
                }
                bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            }
            case 4 -> bytes = ("{\"type\":\"chat\",\"id\":\"x\",\"seq\":" + random.nextLong() + ",\"time\":"
                    + random.nextLong() + ",\"text\":\"" + "y".repeat(random.nextInt(5000)) + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            default -> bytes = "[".repeat(random.nextInt(3000)).getBytes(StandardCharsets.UTF_8);
        }
        ByteBuf buf = Unpooled.buffer(bytes.length + 1).writeBytes(bytes);
        if (random.nextInt(10) > 0) {
            buf.writeByte('\n');
        }
        return buf;
    }

    private static byte[] mutate(byte[] bytes, Random random) {
        byte[] out = bytes.clone();
        for (int m = 1 + random.nextInt(3); m > 0 && out.length > 0; m--) {
            int at = random.nextInt(out.length);
            switch (random.nextInt(3)) {
                case 0 -> out[at] = (byte) random.nextInt(256);
                case 1 -> out = java.util.Arrays.copyOf(out, at);
                default -> out[at] ^= (byte) (1 << random.nextInt(8));
            }
        }
        return out;
    }

    private static void drain(EmbeddedChannel channel) {
        Object out;
        while ((out = channel.readOutbound()) != null) {
            ReferenceCountUtil.release(out);
        }
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /** One connection with its own session; half of them have already completed the handshake. */
    private static final class Connection {
        final EmbeddedChannel channel = new EmbeddedChannel();
        final ChatSession session;
        String failure = "";
        String lastFrame = "";

        Connection(AtomicLong shown, boolean identified) {
            session = new ChatSession(channel.eventLoop(), event -> {
                if (event instanceof ChatEvent.MessageReceived) {
                    shown.incrementAndGet();
                }
                if (event instanceof ChatEvent.Failure f) {
                    failure = f.message();
                }
            });
            new PeerPipeline(OURS, session).install(channel, () -> { });
            if (identified) {
                channel.writeInbound(Unpooled.copiedBuffer(VALID[0] + "\n", StandardCharsets.UTF_8));
            }
            drain(channel);
        }

        /** Closes the connection; returns 1 if it ended in a protocol error. Anything else unexpected fails. */
        int end() {
            channel.finishAndReleaseAll();
            if (!session.outcome().isDone()) {
                return 0;
            }
            Outcome outcome = session.outcome().join();
            assertThat(outcome).as("outcome after hostile input; failure: " + failure + "; last frame: " + lastFrame)
                    .isInstanceOfAny(Outcome.Ended.class, Outcome.ProtocolViolation.class, Outcome.ConnectionLost.class);
            return outcome instanceof Outcome.ProtocolViolation ? 1 : 0;
        }
    }
}
