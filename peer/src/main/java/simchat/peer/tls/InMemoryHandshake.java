package simchat.peer.tls;

import java.nio.ByteBuffer;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/** A TLS handshake between two engines in this process, bytes handed over in buffers: no network involved. */
final class InMemoryHandshake {

    /** Far more steps than a TLS 1.3 handshake takes; a bound, so a confused engine cannot spin forever. */
    private static final int MAX_STEPS = 200;

    private InMemoryHandshake() {
    }

    /** Runs the handshake to its end; throws when either engine refuses. */
    static void run(SSLEngine client, SSLEngine server) throws SSLException {
        client.setUseClientMode(true);
        server.setUseClientMode(false);
        int size = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
        ByteBuffer toServer = ByteBuffer.allocate(4 * size);
        ByteBuffer toClient = ByteBuffer.allocate(4 * size);
        ByteBuffer plain = ByteBuffer.allocate(4 * size);
        client.beginHandshake();
        server.beginHandshake();
        for (int i = 0; i < MAX_STEPS && !(finished(client) && finished(server)); i++) {
            step(client, toClient, toServer, plain);
            step(server, toServer, toClient, plain);
        }
        if (!finished(client) || !finished(server)) {
            throw new SSLException("in-memory handshake unfinished after " + MAX_STEPS + " steps: client "
                    + client.getHandshakeStatus() + ", server " + server.getHandshakeStatus());
        }
        // What is still in flight (the server's session ticket) is read now, so records that follow are read in order.
        deliver(client, toClient, plain);
        deliver(server, toServer, plain);
    }

    /**
     * Sends {@code records} application-data records of {@code size} bytes from {@code from} to {@code to}
     * (both past their handshake) and returns the plaintext bytes that arrived.
     */
    static long exchange(SSLEngine from, SSLEngine to, int records, int size) throws SSLException {
        // Direct buffers, as Netty's pooled allocator hands the engine: the cipher takes other paths for them.
        ByteBuffer plain = ByteBuffer.allocateDirect(size);
        ByteBuffer wire = ByteBuffer.allocateDirect(from.getSession().getPacketBufferSize());
        ByteBuffer received = ByteBuffer.allocateDirect(to.getSession().getApplicationBufferSize());
        long arrived = 0;
        for (int i = 0; i < records; i++) {
            plain.clear();
            wire.clear();
            from.wrap(plain, wire);
            wire.flip();
            while (wire.hasRemaining()) {
                received.clear();
                if (to.unwrap(wire, received).bytesProduced() == 0 && wire.hasRemaining()) {
                    throw new SSLException("in-memory record exchange stalled after " + i + " records");
                }
                arrived += received.position();
            }
        }
        return arrived;
    }

    private static void deliver(SSLEngine engine, ByteBuffer in, ByteBuffer plain) throws SSLException {
        in.flip();
        while (in.hasRemaining() && engine.unwrap(in, plain).bytesConsumed() > 0) {
            plain.clear();
        }
        in.compact();
    }

    /** Sends {@code data} as application data from {@code from} to {@code to}, once the handshake is done. */
    static void send(SSLEngine from, SSLEngine to, byte[] data) throws SSLException {
        int size = Math.max(from.getSession().getPacketBufferSize(), to.getSession().getApplicationBufferSize());
        ByteBuffer wire = ByteBuffer.allocate(size + data.length);
        from.wrap(ByteBuffer.wrap(data), wire);
        wire.flip();
        ByteBuffer plain = ByteBuffer.allocate(size + data.length);
        to.unwrap(wire, plain);
        if (plain.position() != data.length) {
            throw new SSLException("in-memory record: " + plain.position() + " of " + data.length + " bytes arrived");
        }
    }

    private static boolean finished(SSLEngine engine) {
        return engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING;
    }

    private static void step(SSLEngine engine, ByteBuffer in, ByteBuffer out, ByteBuffer plain) throws SSLException {
        switch (engine.getHandshakeStatus()) {
            case NEED_TASK -> {
                for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
                    task.run();
                }
            }
            case NEED_WRAP -> engine.wrap(ByteBuffer.allocate(0), out);
            case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                in.flip();
                engine.unwrap(in, plain);
                in.compact();
                plain.clear();
            }
            default -> {
            }
        }
    }
}
