package simchat.peer.dial;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * One row of the kernel's TCP socket table ({@code /proc/net/tcp} or {@code /proc/net/tcp6}).
 *
 * @param timeWaitLeft for a socket that only waits to be forgotten (TIME_WAIT, or an orphaned FIN_WAIT2), how
 *                     long until the kernel drops it; null otherwise
 * @param inode        the socket's inode, found among the file descriptors of the process that owns it; 0 when
 *                     no process does (TIME_WAIT, or a connection closed by its program that is still closing)
 */
record TcpSocket(InetSocketAddress local, InetSocketAddress remote, State state, Duration timeWaitLeft, int uid,
                 long inode) {

    /** Whether no process holds this socket any more: the kernel finishes closing it by itself. */
    boolean orphaned() {
        return inode == 0;
    }

    /** The connection states, numbered as in the kernel's {@code include/net/tcp_states.h}. */
    enum State {
        ESTABLISHED, SYN_SENT, SYN_RECV, FIN_WAIT1, FIN_WAIT2, TIME_WAIT, CLOSE, CLOSE_WAIT, LAST_ACK, LISTEN,
        CLOSING, NEW_SYN_RECV, UNKNOWN;

        static State of(int code) {
            State[] all = values();
            return code >= 1 && code < all.length ? all[code - 1] : UNKNOWN;
        }
    }
}
