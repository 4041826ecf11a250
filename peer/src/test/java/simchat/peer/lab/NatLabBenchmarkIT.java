package simchat.peer.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How long the hole punch takes through two port-preserving NATs (lab topology a, WAN delays 10 and
 * 25 ms one way), from the moment both peers are in the room (the rendezvous' {@code peer} frame) to
 * the moment the other peer's hello arrived, as the peers themselves report it; and how often the
 * captures show a SYN-ACK from both sides (the SYNs crossed in flight) rather than from one, with what
 * decides it: how far apart the first SYNs left, and how late each peer sent its first SYN after the
 * moment its {@code sync} named (arrival at its interface plus the delay it carried). A fresh lab,
 * rendezvous and pair of peer processes per trial, so every trial starts from empty conntrack tables
 * and cold JVMs, as a user would.
 */
@Tag("benchmark")
@Tag("lab")
class NatLabBenchmarkIT {

    private static final int TRIALS = Integer.getInteger("natlab.trials", 8);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern PACKET = Pattern.compile("^(\\d+\\.\\d+) IP ");
    private static final Pattern SYNC = Pattern.compile("\"type\":\"sync\",\"round\":1,\"delayMillis\":(\\d+)");
    private static final Pattern PUNCHED = Pattern.compile(
            "connected in round (\\d+) after (\\d+) ms \\(RTT to the rendezvous ([\\d.]+) ms\\)");

    @TempDir
    Path dir;

    @BeforeAll
    static void needsTheLab() {
        NatLab.assumeAvailable("NAT lab benchmark");
    }

    @Test
    void timeFromBothJoinedToConnectedThroughTwoNats() throws Exception {
        List<Long> millis = new ArrayList<>();
        List<Double> skews = new ArrayList<>();
        List<Double> lateness = new ArrayList<>();
        int bothSynAcks = 0;
        int laterRounds = 0;
        List<String> rows = new ArrayList<>();
        for (int trial = 1; trial <= TRIALS; trial++) {
            Path trialDir = Files.createDirectories(dir.resolve("trial-" + trial));
            try (NatLab lab = NatLab.up("a", trialDir)) {
                PunchCapture atAlice = lab.capture("a", trialDir.resolve("a.cap"));
                PunchCapture atBob = lab.capture("b", trialDir.resolve("b.cap"));
                List<Process> syncCaptures = new ArrayList<>();
                for (String host : List.of("a", "b")) {
                    syncCaptures.add(lab.tcpdump(host, trialDir.resolve(host + ".sync"), "-A",
                            "tcp src port 7000 and tcp[tcpflags] & tcp-push != 0"));
                }
                PeerProcess alice = lab.peer("a", trialDir, "--local", "8000", "--rendezvous", NatLab.RENDEZVOUS,
                        "--name", "alice");
                String line = alice.await("* room code: ", WAIT);
                String code = line.substring("* room code: ".length(), line.indexOf(' ', "* room code: ".length()));
                PeerProcess bob = lab.peer("b", trialDir, "--local", "8000", "--rendezvous", NatLab.RENDEZVOUS,
                        "--room", code, "--name", "bob");
                Matcher a = PUNCHED.matcher(alice.await("* hole punched", WAIT));
                Matcher b = PUNCHED.matcher(bob.await("* hole punched", WAIT));
                assertThat(a.find() && b.find()).as("the hole punched lines").isTrue();
                alice.endInput();
                bob.await("* alice left the chat", WAIT);
                bob.endInput();
                assertThat(alice.exitCode(WAIT)).isZero();
                assertThat(bob.exitCode(WAIT)).isZero();

                long ms = Math.max(Long.parseLong(a.group(2)), Long.parseLong(b.group(2)));
                millis.add(ms);
                if (!a.group(1).equals("1") || !b.group(1).equals("1")) {
                    laterRounds++;
                }
                List<PunchCapture.Syn> atA = atAlice.stop();
                List<PunchCapture.Syn> atB = atBob.stop();
                syncCaptures.forEach(Process::destroy);
                String aliceHost = lab.env.get("A_IP") + ".8000";
                String bobHost = lab.env.get("B_IP") + ".8000";
                boolean aliceSynAck = sentSynAck(atA, aliceHost);
                boolean bobSynAck = sentSynAck(atB, bobHost);
                // Both captures use the host's clock: how far apart the first SYNs to the public endpoints left.
                double aliceFirst = firstSyn(atA, aliceHost, lab.env.get("B_PUBLIC_IP"));
                double bobFirst = firstSyn(atB, bobHost, lab.env.get("A_PUBLIC_IP"));
                double skew = Math.abs(aliceFirst - bobFirst) * 1000;
                skews.add(skew);
                double aliceLate = (aliceFirst - syncDue(trialDir.resolve("a.sync"))) * 1000;
                double bobLate = (bobFirst - syncDue(trialDir.resolve("b.sync"))) * 1000;
                lateness.add(aliceLate);
                lateness.add(bobLate);
                boolean crossed = aliceSynAck && bobSynAck && PunchCapture.synAcksBothWays(atA, aliceHost);
                if (crossed) {
                    bothSynAcks++;
                }
                rows.add(String.format(Locale.ROOT,
                        "trial %d: %d ms, round %s/%s, RTT %s/%s ms, first SYN %.1f/%.1f ms after the sync's moment, "
                                + "first SYNs %.1f ms apart, SYN-ACK from %s",
                        trial, ms, a.group(1), b.group(1), a.group(3), b.group(3), aliceLate, bobLate, skew,
                        crossed ? "both" : aliceSynAck ? "alice only" : bobSynAck ? "bob only" : "none"));
            }
        }
        List<Long> sorted = millis.stream().sorted().toList();
        long median = sorted.get((sorted.size() - 1) / 2);
        long p95 = sorted.get((int) Math.ceil(0.95 * sorted.size()) - 1);
        System.out.println("NAT lab benchmark (topology a, two port-preserving NATs), " + TRIALS + " trials:");
        rows.forEach(r -> System.out.println("  " + r));
        System.out.printf(Locale.ROOT, "  both joined -> connected: median %d ms, p95 %d ms, max %d ms%n",
                median, p95, sorted.get(sorted.size() - 1));
        List<Double> sortedSkews = skews.stream().sorted().toList();
        System.out.printf(Locale.ROOT, "  first SYNs apart: median %.1f ms, p95 %.1f ms, min %.1f ms%n",
                sortedSkews.get((sortedSkews.size() - 1) / 2),
                sortedSkews.get((int) Math.ceil(0.95 * sortedSkews.size()) - 1), sortedSkews.get(0));
        List<Double> sortedLate = lateness.stream().sorted().toList();
        System.out.printf(Locale.ROOT, "  first SYN after the sync's moment (both peers): median %.1f ms, p95 %.1f ms, "
                        + "max %.1f ms%n", sortedLate.get((sortedLate.size() - 1) / 2),
                sortedLate.get((int) Math.ceil(0.95 * sortedLate.size()) - 1), sortedLate.get(sortedLate.size() - 1));
        System.out.printf(Locale.ROOT, "  SYN-ACKs from both sides in %d of %d trials; %d trials needed a later round%n",
                bothSynAcks, TRIALS, laterRounds);
        assertThat(sorted).as("every trial connected").hasSize(TRIALS);
    }

    /**
     * When the round-1 {@code sync} asked this peer to dial: its arrival at the peer's interface (the
     * packet that carried it, from {@code tcpdump -A}) plus the delay it carried, in seconds.
     */
    private static double syncDue(Path capture) throws java.io.IOException {
        double packet = Double.NaN;
        for (String line : Files.readAllLines(capture, java.nio.charset.StandardCharsets.ISO_8859_1)) {
            Matcher header = PACKET.matcher(line);
            if (header.find()) {
                packet = Double.parseDouble(header.group(1));
            }
            Matcher sync = SYNC.matcher(line);
            if (sync.find()) {
                return packet + Long.parseLong(sync.group(1)) / 1000.0;
            }
        }
        return Double.NaN;
    }

    private static double firstSyn(List<PunchCapture.Syn> syns, String self, String otherPublicIp) {
        return syns.stream().filter(s -> !s.synAck() && s.from().equals(self) && s.to().startsWith(otherPublicIp + "."))
                .mapToDouble(PunchCapture.Syn::time).min().orElse(Double.NaN);
    }

    private static boolean sentSynAck(List<PunchCapture.Syn> syns, String self) {
        return syns.stream().anyMatch(s -> s.synAck() && s.from().equals(self) && s.fromConnectingSocket(syns));
    }
}
