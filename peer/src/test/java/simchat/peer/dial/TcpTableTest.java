package simchat.peer.dial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reading the kernel's TCP table: rows as {@code /proc/net/tcp} and {@code tcp6} print them on this machine. */
class TcpTableTest {

    private static final String HEADER = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt"
            + "   uid  timeout inode\n";

    @BeforeEach
    void littleEndian() {
        // The sample rows below are as an x86 or ARM kernel prints them: words in little-endian order.
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "sample rows are little-endian");
    }

    @Test
    void aListenerHasItsAddressStateOwnerAndNoTimer() {
        List<TcpSocket> rows = TcpTable.parse(HEADER + "   0: 00000000:07E8 00000000:0000 0A 00000000:00000000 "
                + "00:00000000 00000000  1000        0 1607 1 00000000dc386dbf 100 0 0 10 0\n");
        assertThat(rows).containsExactly(new TcpSocket(endpoint("0.0.0.0", 2024), endpoint("0.0.0.0", 0),
                TcpSocket.State.LISTEN, null, 1000, 1607));
    }

    @Test
    void aTimeWaitSaysHowLongItHasLeftInHundredthsOfASecond() {
        TcpSocket row = TcpTable.parse(HEADER + "   1: 0100007F:C735 0100007F:940B 06 00000000:00000000 "
                + "03:00000570 00000000     0        0 0 3 0000000020297a27\n").get(0);
        assertThat(row.local()).isEqualTo(endpoint("127.0.0.1", 0xC735));
        assertThat(row.remote()).isEqualTo(endpoint("127.0.0.1", 0x940B));
        assertThat(row.state()).isEqualTo(TcpSocket.State.TIME_WAIT);
        assertThat(row.timeWaitLeft()).isEqualTo(Duration.ofMillis(13_920));
        assertThat(row.orphaned()).as("a TIME_WAIT belongs to no process").isTrue();
    }

    @Test
    void anIpv4MappedAddressOfADualStackSocketReadsAsTheIpv4Address() {
        TcpSocket row = TcpTable.parse(HEADER + "   0: 0000000000000000FFFF00000100007F:9A6D "
                + "0000000000000000FFFF00000100007F:8ABB 01 00000000:00000000 00:00000000 00000000  1000  0 4711 1 "
                + "00000000c53de61a\n").get(0);
        assertThat(row.local()).isEqualTo(endpoint("127.0.0.1", 0x9A6D));
        assertThat(row.state()).isEqualTo(TcpSocket.State.ESTABLISHED);
    }

    @Test
    void anIpv6AddressReadsWordByWord() {
        TcpSocket row = TcpTable.parse(HEADER + "   0: 00000000000000000000000001000000:1F40 "
                + "0000FDFD000000000000000002000000:1F41 02 00000000:00000000 01:00000064 00000002  1000  0 99 1 0\n")
                .get(0);
        assertThat(row.local()).isEqualTo(endpoint("::1", 8000));
        assertThat(row.remote()).isEqualTo(endpoint("fdfd::2", 8001));
        assertThat(row.state()).isEqualTo(TcpSocket.State.SYN_SENT);
        assertThat(row.timeWaitLeft()).as("a retransmission timer is not a TIME_WAIT").isNull();
    }

    @Test
    void aRowItCannotReadIsLeftOut() {
        assertThat(TcpTable.parse(HEADER + "   0: garbage\n   1: 0100007F:ZZZZ 0100007F:0001 01\n")).isEmpty();
    }

    @Test
    void theLiveTableShowsAListenerOfThisProcess() throws IOException {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "the table is Linux's");
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(TcpTable.read())
                    .filteredOn(s -> s.local().getPort() == listener.getLocalPort())
                    .singleElement()
                    .satisfies(s -> {
                        assertThat(s.state()).isEqualTo(TcpSocket.State.LISTEN);
                        assertThat(SocketOwners.proc().ours(s.inode())).as("held by this process").isTrue();
                    });
        }
    }

    private static InetSocketAddress endpoint(String host, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
