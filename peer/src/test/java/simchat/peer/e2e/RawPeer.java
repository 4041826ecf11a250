package simchat.peer.e2e;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A hand-driven peer: completes a simultaneous open with plain blocking sockets, then sends whatever a test wants. */
final class RawPeer implements AutoCloseable {

    private final SocketChannel channel;

    private RawPeer(SocketChannel channel) {
        this.channel = channel;
    }

    /** Dials from {@code localPort} to {@code remotePort} on loopback until the SYNs cross, for at most {@code within}. */
    static RawPeer dial(int localPort, int remotePort, Duration within) throws IOException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            SocketChannel channel = SocketChannel.open();
            try {
                channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                channel.bind(new InetSocketAddress("127.0.0.1", localPort));
                channel.connect(new InetSocketAddress("127.0.0.1", remotePort));
                return new RawPeer(channel);
            } catch (ConnectException refused) {
                channel.close();
            }
        }
        throw new AssertionError("no simultaneous open with port " + remotePort + " within " + within);
    }

    void send(String text) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /** Reads what the other side sent until it closes (or 5 s pass). */
    String readUntilClosed() throws IOException {
        channel.socket().setSoTimeout(5_000);
        var in = channel.socket().getInputStream();
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
