package simchat.peer.dial;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Who holds the local port or port pair that the kernel refused an attempt, and whether it lets go by itself:
 * {@link InUse} ends dialing (exit 4), {@link Releasing} is waited out at the normal pace. Each says so in one
 * line for the user.
 */
sealed interface PortHold {

    /** How attempts refused for this reason are classified. */
    AttemptOutcome outcome();

    /** One line for the user. */
    String message();

    /**
     * The port or pair that was refused: {@code pair} when the kernel refused the connect (another socket has
     * exactly our local and remote endpoints), otherwise the bind (another socket holds the local port).
     */
    record Place(InetSocketAddress local, InetSocketAddress remote, boolean pair) {

        String describe(TcpSocket socket) {
            if (!pair) {
                return "local port " + local.getPort();
            }
            return "the port pair " + Endpoints.text(socket != null ? socket.local() : local) + " -> "
                    + Endpoints.text(remote);
        }

        /** Where the holding socket goes, when that is not our remote. */
        String destination(TcpSocket socket) {
            return pair || socket.remote().getAddress().isAnyLocalAddress() ? ""
                    : " to " + Endpoints.text(socket.remote());
        }
    }

    /** The process behind a socket, as precisely as this user may see it. */
    record Holder(SocketOwners.Owner owner, boolean thisProcess, int uid, boolean sameUser) {

        String describe() {
            if (thisProcess) {
                return "this process";
            }
            if (owner != null) {
                return owner.simchatPeer() ? "another simchat peer (process " + owner.pid() + ")"
                        : "process " + owner.pid() + " (" + owner.command() + ")";
            }
            return sameUser ? "another process" : "a process of uid " + uid;
        }
    }

    /**
     * Held by a live socket of some process (a listener, or a connection its program keeps open): it will not
     * go away by itself. {@code socket} is null when the table does not show who holds the port.
     */
    record InUse(Place place, TcpSocket socket, Holder holder, String reason) implements PortHold {

        @Override
        public AttemptOutcome outcome() {
            return AttemptOutcome.LOCAL_PORT_UNAVAILABLE;
        }

        @Override
        public String message() {
            if (socket == null) {
                return "local port " + place.local().getPort() + " is unavailable (" + reason
                        + "): another program holds it; choose another --local port";
            }
            if (socket.state() == TcpSocket.State.LISTEN) {
                return "local port " + place.local().getPort() + " is unavailable: " + holder.describe()
                        + " listens on it; choose another --local port";
            }
            String connection = place.pair() ? " has a connection on it" : " has a connection from it"
                    + place.destination(socket);
            return place.describe(socket) + " is taken: " + holder.describe() + connection + " (" + socket.state()
                    + "); stop that, or choose another --local port";
        }
    }

    /**
     * Held by a connection on its way out (TIME_WAIT, or closed and still closing) or by a connection of this
     * very process: it goes away by itself. {@code socket} is null when the table no longer shows it.
     */
    record Releasing(Place place, TcpSocket socket, boolean ours, String reason) implements PortHold {

        @Override
        public AttemptOutcome outcome() {
            return AttemptOutcome.ADDRESS_PAIR_BUSY;
        }

        @Override
        public String message() {
            if (socket == null) {
                return place.describe(null) + " was busy a moment ago (" + reason + "); trying again at the normal pace";
            }
            String what = place.describe(socket);
            String to = place.destination(socket);
            if (ours) {
                return what + " is still held by a connection of this process" + to + " (" + socket.state()
                        + "); waiting for it to close";
            }
            String state = socket.state() == TcpSocket.State.TIME_WAIT ? "is in TIME_WAIT"
                    : "is still closing (" + socket.state() + ")";
            String wait = socket.timeWaitLeft() == null ? "waiting for it to close"
                    : "waiting up to " + seconds(socket.timeWaitLeft()) + " s";
            // A SYN from the other peer ends a TIME_WAIT on exactly this pair: Linux accepts it as a new connection.
            String sooner = place.pair() || socket.remote().equals(place.remote()) ? " (less if the other peer dials)" : "";
            return what + " " + state + " from an earlier connection" + to + "; " + wait + sooner;
        }

        private static long seconds(Duration left) {
            return Math.max(1, (left.toMillis() + 999) / 1000);
        }
    }
}
