package simchat.peer.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
    private BufferedReader reader;

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

    void send(byte[] raw) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(raw);
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

    /** The next frame the other side sent, skipping pings and pongs; fails after 10 s or at end of stream. */
    String readFrame() throws IOException {
        if (reader == null) {
            channel.socket().setSoTimeout(10_000);
            reader = new BufferedReader(new InputStreamReader(channel.socket().getInputStream(), StandardCharsets.UTF_8));
        }
        String line;
        do {
            line = reader.readLine();
            if (line == null) {
                throw new AssertionError("the other side closed the connection");
            }
        } while (line.contains("\"type\":\"ping\"") || line.contains("\"type\":\"pong\""));
        return line;
    }

    /** Reads frames until one contains {@code text}; returns every frame read, that one included. */
    java.util.List<String> readUntil(String text) throws IOException {
        java.util.List<String> frames = new java.util.ArrayList<>();
        String frame;
        do {
            frame = readFrame();
            frames.add(frame);
        } while (!frame.contains(text));
        return frames;
    }

    /** Ends the connection with a reset, as a crashed host or a middlebox would. */
    void reset() throws IOException {
        channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        channel.close();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
