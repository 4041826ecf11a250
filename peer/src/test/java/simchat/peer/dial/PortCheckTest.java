package simchat.peer.dial;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Deciding, from the kernel's TCP table, whether a refused port is taken for good or lets go by itself. */
class PortCheckTest {

    private static final int OUR_UID = 1000;
    private static final InetSocketAddress LOCAL = endpoint("0.0.0.0", 8000);
    private static final InetSocketAddress REMOTE = endpoint("10.0.0.2", 9000);
    private static final BindException PORT_REFUSED = new BindException("Address already in use");
    private static final BindException PAIR_REFUSED = new BindException("Cannot assign requested address");

    private final List<TcpSocket> table = new ArrayList<>();
    private final Set<Long> ours = new java.util.HashSet<>();
    private final Map<Long, SocketOwners.Owner> visible = new java.util.HashMap<>();

    @Test
    void aListenerOnThePortTakesIt() {
        table.add(socket("0.0.0.0", 8000, "0.0.0.0", 0, TcpSocket.State.LISTEN, null, 77));
        visible.put(77L, new SocketOwners.Owner(4242, "nc", false));
        PortHold hold = explain(PORT_REFUSED);
        assertThat(hold.outcome()).isEqualTo(AttemptOutcome.LOCAL_PORT_UNAVAILABLE);
        assertThat(hold.message()).isEqualTo(
                "local port 8000 is unavailable: process 4242 (nc) listens on it; choose another --local port");
    }

    @Test
    void aListenerOfThisProcessTakesItToo() {
        table.add(socket("127.0.0.1", 8000, "0.0.0.0", 0, TcpSocket.State.LISTEN, null, 77));
        ours.add(77L);
        assertThat(explain(PORT_REFUSED).message()).contains("this process listens on it");
    }

    @Test
    void aLiveConnectionOfAnotherPeerOnThePairTakesItAndIsNamed() {
        table.add(socket("10.0.0.1", 8000, "10.0.0.2", 9000, TcpSocket.State.ESTABLISHED, null, 88));
        visible.put(88L, new SocketOwners.Owner(4343, "java", true));
        PortHold hold = explain(PAIR_REFUSED);
        assertThat(hold.outcome()).isEqualTo(AttemptOutcome.LOCAL_PORT_UNAVAILABLE);
        assertThat(hold.message()).isEqualTo("the port pair 10.0.0.1:8000 -> 10.0.0.2:9000 is taken: another simchat"
                + " peer (process 4343) has a connection on it (ESTABLISHED); stop that, or choose another --local port");
    }

    @Test
    void aConnectionFromThePortToElsewhereTakesThePortAndSaysWhere() {
        table.add(socket("10.0.0.1", 8000, "192.0.2.7", 443, TcpSocket.State.ESTABLISHED, null, 88));
        visible.put(88L, new SocketOwners.Owner(4444, "curl", false));
        assertThat(explain(PORT_REFUSED).message()).isEqualTo("local port 8000 is taken: process 4444 (curl) has a"
                + " connection from it to 192.0.2.7:443 (ESTABLISHED); stop that, or choose another --local port");
    }

    @Test
    void aProcessOfAnotherUserIsNamedByItsUid() {
        table.add(new TcpSocket(endpoint("10.0.0.1", 8000), REMOTE, TcpSocket.State.CLOSE_WAIT, null, 1001, 88));
        assertThat(explain(PAIR_REFUSED).message()).contains("a process of uid 1001 has a connection on it (CLOSE_WAIT); stop that");
    }

    @Test
    void anInvisibleProcessOfThisUserIsAnotherProcess() {
        table.add(socket("10.0.0.1", 8000, "10.0.0.2", 9000, TcpSocket.State.SYN_SENT, null, 88));
        assertThat(explain(PAIR_REFUSED).message()).contains("another process has a connection on it (SYN_SENT)");
    }

    @Test
    void aTimeWaitOnThePairIsWaitedOutAndSaysForHowLong() {
        table.add(socket("10.0.0.1", 8000, "10.0.0.2", 9000, TcpSocket.State.TIME_WAIT, Duration.ofMillis(57_310), 0));
        PortHold hold = explain(PORT_REFUSED);
        assertThat(hold.outcome()).isEqualTo(AttemptOutcome.ADDRESS_PAIR_BUSY);
        assertThat(hold.message()).isEqualTo("local port 8000 is in TIME_WAIT from an earlier connection to "
                + "10.0.0.2:9000; waiting up to 58 s (less if the other peer dials)");
    }

    @Test
    void aTimeWaitOfTheExactPairRefusingTheConnectIsWaitedOutToo() {
        table.add(socket("10.0.0.1", 8000, "10.0.0.2", 9000, TcpSocket.State.TIME_WAIT, Duration.ofSeconds(30), 0));
        assertThat(explain(PAIR_REFUSED).message()).isEqualTo("the port pair 10.0.0.1:8000 -> 10.0.0.2:9000 is in "
                + "TIME_WAIT from an earlier connection; waiting up to 30 s (less if the other peer dials)");
    }

    @Test
    void aTimeWaitToAnotherRemoteCannotBeEndedByTheOtherPeer() {
        table.add(socket("10.0.0.1", 8000, "192.0.2.7", 443, TcpSocket.State.TIME_WAIT, Duration.ofSeconds(5), 0));
        assertThat(explain(PORT_REFUSED).message()).isEqualTo(
                "local port 8000 is in TIME_WAIT from an earlier connection to 192.0.2.7:443; waiting up to 5 s");
    }

    @Test
    void aClosedConnectionStillClosingIsWaitedOut() {
        table.add(socket("10.0.0.1", 8000, "10.0.0.2", 9000, TcpSocket.State.LAST_ACK, null, 0));
        PortHold hold = explain(PAIR_REFUSED);
        assertThat(hold.outcome()).isEqualTo(AttemptOutcome.ADDRESS_PAIR_BUSY);
        assertThat(hold.message()).endsWith("is still closing (LAST_ACK) from an earlier connection; "
                + "waiting for it to close (less if the other peer dials)");
    }

    @Test
    void aConnectionOfThisProcessOnThePairIsWaitedFor() {
        table.add(socket("10.0.0.1", 8000, "10.0.0.2", 9000, TcpSocket.State.ESTABLISHED, null, 99));
        ours.add(99L);
        PortHold hold = explain(PAIR_REFUSED);
        assertThat(hold.outcome()).isEqualTo(AttemptOutcome.ADDRESS_PAIR_BUSY);
        assertThat(hold.message()).isEqualTo("the port pair 10.0.0.1:8000 -> 10.0.0.2:9000 is still held by a "
                + "connection of this process (ESTABLISHED); waiting for it to close");
    }

    @Test
    void aLiveHolderWinsOverATimeWait() {
        table.add(socket("10.0.0.1", 8000, "192.0.2.7", 443, TcpSocket.State.TIME_WAIT, Duration.ofSeconds(5), 0));
        table.add(socket("10.0.0.1", 8000, "192.0.2.8", 443, TcpSocket.State.ESTABLISHED, null, 88));
        assertThat(explain(PORT_REFUSED).outcome()).isEqualTo(AttemptOutcome.LOCAL_PORT_UNAVAILABLE);
    }

    @Test
    void connectionsOfThisProcessNeverExplainAFailedBind() {
        // Ours all set SO_REUSEADDR: whatever made the bind fail is a socket the table does not list.
        table.add(socket("10.0.0.1", 8000, "203.0.113.1", 7000, TcpSocket.State.ESTABLISHED, null, 99));
        ours.add(99L);
        PortHold hold = explain(PORT_REFUSED);
        assertThat(hold.outcome()).isEqualTo(AttemptOutcome.LOCAL_PORT_UNAVAILABLE);
        assertThat(hold.message()).isEqualTo("local port 8000 is unavailable (Address already in use): another "
                + "program holds it; choose another --local port");
    }

    @Test
    void socketsOnAnotherLocalAddressOrPortOrTowardAnotherRemoteDoNotCount() {
        InetSocketAddress local = endpoint("127.0.0.1", 8000);
        table.add(socket("10.0.0.1", 8000, "10.0.0.2", 9000, TcpSocket.State.ESTABLISHED, null, 1));
        table.add(socket("127.0.0.1", 8001, "10.0.0.2", 9000, TcpSocket.State.ESTABLISHED, null, 2));
        table.add(socket("127.0.0.1", 8000, "10.0.0.2", 9001, TcpSocket.State.ESTABLISHED, null, 3));
        PortHold hold = check().explain(PAIR_REFUSED, local, REMOTE);
        assertThat(hold).isInstanceOf(PortHold.Releasing.class);
        assertThat(hold.message()).isEqualTo("the port pair 127.0.0.1:8000 -> 10.0.0.2:9000 was busy a moment ago "
                + "(Cannot assign requested address); trying again at the normal pace");
    }

    @Test
    void failuresThatAreNotAboutAHolderAreNotExplained() {
        assertThat(check().explain(new BindException("Permission denied"), LOCAL, REMOTE)).isNull();
        assertThat(check().explain(new ConnectException("Connection refused"), LOCAL, REMOTE)).isNull();
    }

    private PortHold explain(Exception cause) {
        return check().explain(cause, LOCAL, REMOTE);
    }

    private PortCheck check() {
        return new PortCheck(() -> table, new SocketOwners() {
            @Override
            public boolean ours(long inode) {
                return ours.contains(inode);
            }

            @Override
            public Optional<Owner> owner(long inode) {
                return Optional.ofNullable(visible.get(inode));
            }

            @Override
            public int ourUid() {
                return OUR_UID;
            }
        });
    }

    private static TcpSocket socket(String localHost, int localPort, String remoteHost, int remotePort,
                                    TcpSocket.State state, Duration left, long inode) {
        return new TcpSocket(endpoint(localHost, localPort), endpoint(remoteHost, remotePort), state, left, OUR_UID,
                inode);
    }

    private static InetSocketAddress endpoint(String host, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
