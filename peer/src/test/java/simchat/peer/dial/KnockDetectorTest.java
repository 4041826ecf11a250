package simchat.peer.dial;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnockDetectorTest {

    private static final boolean ELSEWHERE = false;
    private static final boolean ON_THIS_HOST = true;

    @TempDir
    Path dir;

    @Test
    void readsTheResetAndFailedAttemptCountersFromProcNetSnmp() {
        KnockDetector knocks = new KnockDetector(dir.resolve("unused"));
        byte[] text = snmp(1234, 56).getBytes(StandardCharsets.US_ASCII);
        assertThat(knocks.parse(text, text.length)).isTrue();
        assertThat(knocks.lastParsed()).containsExactly(1234, 56);
        byte[] noTcp = "Ip: Forwarding\nIp: 1\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(knocks.parse(noTcp, noTcp.length)).isFalse();
    }

    @Test
    void readsTheRealCounterAfreshAtEveryPoll() throws IOException {
        KnockDetector knocks = new KnockDetector();
        Assumptions.assumeTrue(knocks.available(), "/proc/net/snmp (Linux)");
        long before = knocks.lastParsed()[0];
        // A refused attempt on loopback: this namespace's kernel sends one reset.
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (ConnectException expected) {
            // Refused, as meant.
        }
        assertThat(knocks.available()).isTrue();
        assertThat(knocks.lastParsed()[0]).as("OutRsts after a refused attempt").isGreaterThan(before);
    }

    @Test
    void aBurstOfResetsFromAnotherHostIsAKnock() throws IOException {
        KnockDetector knocks = detector(100, 0);
        assertThat(knocks.poll(0, ELSEWHERE)).isFalse();
        counter(100 + KnockDetector.BURST_RESETS, 0);
        assertThat(knocks.poll(0, ELSEWHERE)).isTrue();
    }

    @Test
    void aFewStrayResetsAreNot() throws IOException {
        KnockDetector knocks = detector(100, 0);
        knocks.poll(0, ELSEWHERE);
        counter(101, 0);
        assertThat(knocks.poll(0, ELSEWHERE)).isFalse();
    }

    @Test
    void aSteadyTrickleFromAPacedPeerElsewhereIsAKnockWithinTwoSeconds() throws IOException {
        KnockDetector knocks = detector(0, 0);
        knocks.poll(0, ELSEWHERE);
        boolean knocked = false;
        int polls = (int) (KnockDetector.WINDOW_MILLIS / Dialer.KNOCK_POLL_MILLIS);
        long perSecond = DialPacing.MAX_SYNS_PER_SECOND - 1;
        for (int poll = 1; poll <= polls && !knocked; poll++) {
            counter(poll * perSecond * Dialer.KNOCK_POLL_MILLIS / 1000, 0);   // a paced peer elsewhere
            knocked = knocks.poll(0, ELSEWHERE);
        }
        assertThat(knocked).isTrue();
    }

    @Test
    void resetsAnsweringOtherPeersOnThisHostAreNotKnocksForAPartnerElsewhere() throws IOException {
        KnockDetector knocks = detector(0, 0);
        knocks.poll(0, ELSEWHERE);
        // Four peers on this host, each refused 20 times a second by a closed port on this host, for 5 s;
        // then one of them dials eagerly for a second.
        int polls = (int) (5_000 / Dialer.KNOCK_POLL_MILLIS);
        boolean knocked = false;
        for (int poll = 1; poll <= polls; poll++) {
            long n = poll * 80L * 5 / polls;
            counter(n, n);
            knocked |= knocks.poll(0, ELSEWHERE);
        }
        for (int poll = 1; poll <= 50; poll++) {
            long n = 400 + poll * 40L;
            counter(n, n);
            knocked |= knocks.poll(0, ELSEWHERE);
        }
        assertThat(knocked).isFalse();
    }

    @Test
    void ourOwnFailedAttemptsDoNotHideAKnockFromElsewhere() throws IOException {
        KnockDetector knocks = detector(100, 100);
        knocks.poll(0, ELSEWHERE);
        // We dialed eagerly (40 attempts refused by the other host) while the other peer's SYNs were reset here.
        counter(100 + KnockDetector.BURST_RESETS, 140);
        assertThat(knocks.poll(40, ELSEWHERE)).isTrue();
    }

    @Test
    void ourOwnRefusedAttemptsToAPeerOnThisHostDoNotCount() throws IOException {
        KnockDetector knocks = detector(100, 100);
        knocks.poll(0, ON_THIS_HOST);
        counter(150, 150);
        assertThat(knocks.poll(50, ON_THIS_HOST)).isFalse();
    }

    @Test
    void forAPartnerOnThisHostOnlyABurstCountsAndNoPacedNeighbour() throws IOException {
        KnockDetector knocks = detector(0, 0);
        knocks.poll(0, ON_THIS_HOST);
        int polls = (int) (1000 / Dialer.KNOCK_POLL_MILLIS);
        boolean knocked = false;
        for (int poll = 1; poll <= polls; poll++) {
            long n = poll * 80L / polls;   // four paced peers on this host: 80 resets a second
            counter(n, n);
            knocked |= knocks.poll(0, ON_THIS_HOST);
        }
        assertThat(knocked).as("knocked by paced neighbours").isFalse();
        counter(80 + KnockDetector.BURST_RESETS, 80 + KnockDetector.BURST_RESETS);
        assertThat(knocks.poll(0, ON_THIS_HOST)).as("an eager newcomer's burst").isTrue();
    }

    @Test
    void staysSilentWhereTheCounterDoesNotExist() {
        KnockDetector knocks = new KnockDetector(dir.resolve("missing"));
        assertThat(knocks.available()).isFalse();
        assertThat(knocks.poll(0, ELSEWHERE)).isFalse();
    }

    private KnockDetector detector(long resets, long fails) throws IOException {
        counter(resets, fails);
        KnockDetector knocks = new KnockDetector(dir.resolve("snmp"));
        assertThat(knocks.available()).isTrue();
        return knocks;
    }

    private void counter(long resets, long fails) throws IOException {
        Files.writeString(dir.resolve("snmp"), snmp(resets, fails));
    }

    private static String snmp(long outRsts, long attemptFails) {
        return "Ip: Forwarding DefaultTTL\nIp: 1 64\n"
                + "Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails EstabResets CurrEstab "
                + "InSegs OutSegs RetransSegs InErrs OutRsts InCsumErrors\n"
                + "Tcp: 1 200 120000 -1 165 9 " + attemptFails + " 2 0 6670 5459 0 0 " + outRsts + " 0\n"
                + "Udp: InDatagrams\nUdp: 0\n";
    }
}
