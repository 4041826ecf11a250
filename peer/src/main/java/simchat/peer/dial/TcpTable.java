package simchat.peer.dial;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the kernel's table of TCP sockets of this network namespace from {@code /proc/net/tcp} and
 * {@code /proc/net/tcp6} (readable by anyone on Linux; empty elsewhere), to tell who holds a port the kernel
 * refuses us.
 */
final class TcpTable {

    private static final List<Path> SOURCES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));
    /** The kernel prints timers in USER_HZ ticks, which Linux fixes at 100 per second for user space. */
    private static final long TICKS_PER_SECOND = 100;
    /** The {@code tr} column's value for a socket in the TIME_WAIT (or orphaned FIN_WAIT2) timer. */
    private static final int TIME_WAIT_TIMER = 3;

    private TcpTable() {
    }

    /** Every TCP socket the kernel lists; an unreadable table (not Linux) reads as empty. */
    static List<TcpSocket> read() {
        List<TcpSocket> all = new ArrayList<>();
        for (Path source : SOURCES) {
            try {
                all.addAll(parse(new String(Files.readAllBytes(source), StandardCharsets.US_ASCII)));
            } catch (IOException | RuntimeException e) {
                // No such table here (e.g. no IPv6, or not Linux): nothing to explain with.
            }
        }
        return all;
    }

    /** Parses one table; rows it cannot read are skipped. */
    static List<TcpSocket> parse(String table) {
        List<TcpSocket> sockets = new ArrayList<>();
        String[] lines = table.split("\n");
        for (int i = 1; i < lines.length; i++) {
            try {
                sockets.add(row(lines[i].trim().split("\\s+")));
            } catch (RuntimeException | UnknownHostException e) {
                // A row from a future kernel's format: leave it out rather than guess.
            }
        }
        return sockets;
    }

    // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
    private static TcpSocket row(String[] f) throws UnknownHostException {
        TcpSocket.State state = TcpSocket.State.of(Integer.parseInt(f[3], 16));
        String[] timer = f[5].split(":");
        Duration left = Integer.parseInt(timer[0], 16) == TIME_WAIT_TIMER
                ? Duration.ofMillis(Long.parseLong(timer[1], 16) * 1000 / TICKS_PER_SECOND) : null;
        return new TcpSocket(endpoint(f[1]), endpoint(f[2]), state, left, Integer.parseInt(f[7]),
                Long.parseLong(f[9]));
    }

    /**
     * {@code 0100007F:1F40} is 127.0.0.1:8000: the address is printed as 32-bit words in this machine's byte
     * order (one word for IPv4, four for IPv6), the port as a plain number. An IPv4-mapped IPv6 address comes
     * back as the IPv4 address, so that a dual-stack socket compares equal to an IPv4 one.
     */
    static InetSocketAddress endpoint(String field) throws UnknownHostException {
        int colon = field.indexOf(':');
        String hex = field.substring(0, colon);
        ByteBuffer bytes = ByteBuffer.allocate(hex.length() / 2).order(ByteOrder.nativeOrder());
        for (int i = 0; i < hex.length(); i += 8) {
            bytes.putInt((int) Long.parseLong(hex.substring(i, i + 8), 16));
        }
        return new InetSocketAddress(InetAddress.getByAddress(bytes.array()),
                Integer.parseInt(field.substring(colon + 1), 16));
    }
}
