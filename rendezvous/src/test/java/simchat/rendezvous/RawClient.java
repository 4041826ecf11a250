package simchat.rendezvous;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import simchat.rendezvous.protocol.Message;
import simchat.rendezvous.protocol.Protocol;

/** A blocking test client that speaks the protocol (or not) over a plain socket. */
final class RawClient implements AutoCloseable {

    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(5_000);
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        this.out = socket.getOutputStream();
    }

    static RawClient connect(InetSocketAddress server) {
        return connect(server, 0);
    }

    /** Connects from a given loopback source address, e.g. 127.0.0.2, to look like another host. */
    static RawClient connect(InetSocketAddress server, String sourceAddress) {
        try {
            Socket socket = new Socket();
            socket.bind(new InetSocketAddress(sourceAddress, 0));
            socket.connect(server, 5_000);
            return new RawClient(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Connects from a fixed local port with SO_REUSEADDR, as the peer does (0: any port). */
    static RawClient connect(InetSocketAddress server, int localPort) {
        try {
            Socket socket = new Socket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", localPort));
            socket.connect(server, 5_000);
            return new RawClient(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits up to {@code millis} for each frame from now on (default 5 s). */
    RawClient readTimeout(int millis) {
        try {
            socket.setSoTimeout(millis);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int readTimeoutMillis() {
        try {
            return socket.getSoTimeout();
        } catch (IOException e) {
            return -1;
        }
    }

    /** The socket itself, for raw bytes once nothing is left in the line reader (e.g. right after spliced). */
    Socket socket() {
        return socket;
    }

    int localPort() {
        return socket.getLocalPort();
    }

    RawClient send(Message message) {
        return sendRaw((Protocol.encode(message) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    RawClient sendRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next line as it came, without its newline (after {@code spliced}: the other peer's bytes). */
    String line() {
        try {
            String line = in.readLine();
            if (line == null) {
                throw new AssertionError("connection closed");
            }
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads exactly {@code n} characters (ASCII bytes) of what the other peer sent. */
    String read(int n) {
        try {
            char[] chars = new char[n];
            for (int got = 0; got < n; ) {
                int r = in.read(chars, got, n - got);
                if (r < 0) {
                    throw new AssertionError("connection closed after " + got + " of " + n + " characters");
                }
                got += r;
            }
            return new String(chars);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads until the other end closes (failing after the read timeout); returns how many characters came. */
    int readToEnd() {
        try {
            int n = 0;
            while (in.read() >= 0) {
                n++;
            }
            return n;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("not closed within " + readTimeoutMillis() + " ms", e);
        } catch (IOException e) {
            return 0; // reset
        }
    }

    /** The next frame, decoded; fails after the read timeout (5 s unless changed). */
    Message receive() {
        try {
            String line = in.readLine();
            if (line == null) {
                throw new AssertionError("connection closed by the rendezvous");
            }
            return Protocol.decode(line);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no frame within " + readTimeoutMillis() + " ms", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next frame if one arrives within 1 ms, else {@code null}; fails if the connection closed. */
    @simchat.rendezvous.protocol.Nullable
    Message receiveIfReady() {
        try {
            socket.setSoTimeout(1);
            try {
                return receive();
            } catch (AssertionError e) {
                if (e.getCause() instanceof SocketTimeoutException) {
                    return null;
                }
                throw e;
            } finally {
                socket.setSoTimeout(5_000);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True if the rendezvous closed the connection (end of stream or reset) within 5 s. */
    boolean closedByServer() {
        try {
            return in.readLine() == null;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset: the rendezvous closed with our junk unread
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
