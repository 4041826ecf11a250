package simchat.peer.dial;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnockDetectorTest {

    @TempDir
    Path dir;

    @Test
    void readsTheResetCounterFromProcNetSnmp() {
        assertThat(KnockDetector.parseOutRsts(snmp(1234))).hasValue(1234);
        assertThat(KnockDetector.parseOutRsts("Ip: Forwarding\nIp: 1\n")).isEmpty();
    }

    @Test
    void aBurstOfResetsIsAKnock() throws IOException {
        KnockDetector knocks = detector(100);
        assertThat(knocks.poll(0)).isFalse();
        counter(100 + KnockDetector.BURST_RESETS);
        assertThat(knocks.poll(0)).isTrue();
    }

    @Test
    void aFewStrayResetsAreNot() throws IOException {
        KnockDetector knocks = detector(100);
        knocks.poll(0);
        counter(101);
        assertThat(knocks.poll(0)).isFalse();
    }

    @Test
    void aSteadyTrickleFromAPacedPeerIsAKnockWithinASecond() throws IOException {
        KnockDetector knocks = detector(0);
        knocks.poll(0);
        boolean knocked = false;
        for (int poll = 1; poll <= 100 && !knocked; poll++) {
            counter(poll / 5);   // 20 resets per second, one every fifth 10 ms poll
            knocked = knocks.poll(0);
        }
        assertThat(knocked).isTrue();
    }

    @Test
    void ourOwnRefusedAttemptsToAPeerOnThisHostDoNotCount() throws IOException {
        KnockDetector knocks = detector(100);
        knocks.poll(0);
        counter(150);
        assertThat(knocks.poll(50)).isFalse();
    }

    @Test
    void staysSilentWhereTheCounterDoesNotExist() {
        KnockDetector knocks = new KnockDetector(dir.resolve("missing"));
        assertThat(knocks.available()).isFalse();
        assertThat(knocks.poll(0)).isFalse();
    }

    private KnockDetector detector(long start) throws IOException {
        counter(start);
        KnockDetector knocks = new KnockDetector(dir.resolve("snmp"));
        assertThat(knocks.available()).isTrue();
        return knocks;
    }

    private void counter(long value) throws IOException {
        Files.writeString(dir.resolve("snmp"), snmp(value));
    }

    private static String snmp(long outRsts) {
        return "Ip: Forwarding DefaultTTL\nIp: 1 64\n"
                + "Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails EstabResets CurrEstab "
                + "InSegs OutSegs RetransSegs InErrs OutRsts InCsumErrors\n"
                + "Tcp: 1 200 120000 -1 165 9 0 2 0 6670 5459 0 0 " + outRsts + " 0\n"
                + "Udp: InDatagrams\nUdp: 0\n";
    }
}
