package simchat.peer.dial;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Explains a refused port: when {@code bind} says "Address already in use" (another socket holds our local port
 * and did not set SO_REUSEADDR, or listens) or {@code connect} says "Cannot assign requested address" (another
 * socket has exactly our local and remote endpoints), it looks the port up in the kernel's {@link TcpTable} and
 * decides whether the holder lets go by itself ({@link PortHold.Releasing}: TIME_WAIT, a connection still
 * closing, one of this process) or not ({@link PortHold.InUse}: a listener, a live connection of another
 * process). Runs on the dialing thread, never on an event loop.
 */
final class PortCheck {

    /** Within one wait, the table is read again at most this often: it can be large on a busy server. */
    private static final long RECHECK_NANOS = 1_000_000_000L;

    private final Supplier<List<TcpSocket>> table;
    private final SocketOwners owners;
    private PortHold last;
    private long lastNanos;

    PortCheck(Supplier<List<TcpSocket>> table, SocketOwners owners) {
        this.table = requireNonNull(table, "table");
        this.owners = requireNonNull(owners, "owners");
    }

    /** The kernel's own table and {@code /proc}'s owners. */
    static PortCheck system() {
        return new PortCheck(TcpTable::read, SocketOwners.proc());
    }

    /** Why the port or pair was refused, or null when {@code cause} is not about another socket holding it. */
    PortHold explain(Throwable cause, InetSocketAddress local, InetSocketAddress remote) {
        String reason = AttemptOutcome.reason(cause);
        String lower = reason.toLowerCase(Locale.ROOT);
        boolean pair = lower.contains("cannot assign requested address");
        if (!pair && !lower.contains("address already in use")) {
            return null;
        }
        long now = System.nanoTime();
        if (last instanceof PortHold.Releasing waiting && waiting.place().pair() == pair
                && now - lastNanos < RECHECK_NANOS) {
            return last;
        }
        last = explain(new PortHold.Place(local, remote, pair), reason);
        lastNanos = now;
        return last;
    }

    private PortHold explain(PortHold.Place place, String reason) {
        List<TcpSocket> holders = table.get().stream().filter(s -> holds(place, s)).toList();
        // A listener first: it is the likeliest reason, and it never goes away by itself.
        for (TcpSocket socket : holders.stream()
                .sorted(Comparator.comparing(s -> s.state() != TcpSocket.State.LISTEN)).toList()) {
            if (socket.state() == TcpSocket.State.LISTEN
                    || !socket.orphaned() && !owners.ours(socket.inode()) && stillOpen(socket)) {
                return new PortHold.InUse(place, socket, holder(socket), reason);
            }
        }
        // Our own connections set SO_REUSEADDR, so they never make a bind fail; they can only take the pair.
        return holders.stream()
                .filter(s -> s.orphaned() || place.pair())
                .max(Comparator.comparing(TcpSocket::orphaned)
                        .thenComparing(s -> s.timeWaitLeft() == null ? 0 : s.timeWaitLeft().toMillis()))
                .<PortHold>map(s -> new PortHold.Releasing(place, s, !s.orphaned(), reason))
                .orElseGet(() -> place.pair() ? new PortHold.Releasing(place, null, false, reason)
                        : new PortHold.InUse(place, null, null, reason));
    }

    /**
     * Whether the socket still has an open file: one of ours closed between the table's reading and the look at
     * our files is orphaned (or gone) when read again, and then it lets go by itself.
     */
    private boolean stillOpen(TcpSocket socket) {
        return table.get().stream().anyMatch(s -> s.inode() == socket.inode() && !s.orphaned());
    }

    private PortHold.Holder holder(TcpSocket socket) {
        if (owners.ours(socket.inode())) {
            return new PortHold.Holder(null, true, socket.uid(), true);
        }
        return new PortHold.Holder(socket.orphaned() ? null : owners.owner(socket.inode()).orElse(null), false,
                socket.uid(), socket.uid() == owners.ourUid());
    }

    /** Whether the kernel may have refused us because of this socket. */
    private static boolean holds(PortHold.Place place, TcpSocket socket) {
        if (socket.local().getPort() != place.local().getPort()
                || !overlap(socket.local().getAddress(), place.local().getAddress())) {
            return false;
        }
        return !place.pair() || socket.remote().equals(place.remote());
    }

    private static boolean overlap(InetAddress a, InetAddress b) {
        return a.isAnyLocalAddress() || b.isAnyLocalAddress() || a.equals(b);
    }
}
