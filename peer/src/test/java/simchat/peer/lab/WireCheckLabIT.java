package simchat.peer.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an eavesdropper on the link sees: two real peers on two hosts (network namespaces joined by a veth
 * pair) chat while tcpdump records every packet of the chat on alice's link. By default the capture holds
 * the {@code starttls} lines but neither the message nor the names; with {@code --plaintext} it holds all.
 */
@Tag("lab")
class WireCheckLabIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int PORT = 8000;
    private static final String SECRET = "the eagle lands at 0400 behind the old mill";

    @TempDir
    Path dir;

    @BeforeAll
    static void needsTheLab() {
        NetnsLab.assumeAvailable("lab test");
    }

    @Test
    void byDefaultTheMessageAndTheNamesNeverCrossTheWireInTheClear() throws Exception {
        String wire = captureAChat(Files.createDirectories(dir.resolve("encrypted")));

        assertThat(wire).as("the capture holds the chat's payload: the starttls lines").contains("\"type\":\"starttls\"");
        assertThat(wire).as("the message, in the capture").doesNotContain(SECRET);
        assertThat(wire).as("the names, in the capture").doesNotContain("alice-on-the-wire", "bob-on-the-wire");
        assertThat(wire).doesNotContain("\"type\":\"hello\"", "\"type\":\"chat\"");
    }

    @Test
    void withPlaintextTheMessageIsThereForTcpdumpToRead() throws Exception {
        String wire = captureAChat(Files.createDirectories(dir.resolve("plaintext")), "--plaintext");

        assertThat(wire).contains(SECRET, "\"name\":\"alice-on-the-wire\"", "\"type\":\"hello\"")
                .doesNotContain("\"type\":\"starttls\"");
    }

    /** One whole chat in which alice says {@link #SECRET}; returns the raw capture, one byte per char. */
    private static String captureAChat(Path dir, String... extra) throws Exception {
        try (NetnsLab lab = NetnsLab.create()) {
            Path pcap = dir.resolve("a.pcap");
            Process tcpdump = record(lab, pcap, dir.resolve("tcpdump.out"));
            var alice = new PeerProcess(lab.start(lab.a, PeerProcess.command(args(lab.addressB, "alice-on-the-wire",
                    extra)), dir.resolve("alice.out")), dir.resolve("alice.out"));
            var bob = new PeerProcess(lab.start(lab.b, PeerProcess.command(args(lab.addressA, "bob-on-the-wire",
                    extra)), dir.resolve("bob.out")), dir.resolve("bob.out"));

            alice.type(SECRET);
            bob.await("alice-on-the-wire: " + SECRET, WAIT);
            alice.endInput();
            bob.await("* alice-on-the-wire left the chat", WAIT);
            assertThat(alice.exitCode(WAIT)).isZero();
            assertThat(bob.exitCode(WAIT)).isZero();

            Thread.sleep(200);   // the last packets; -U writes each one as it comes
            tcpdump.destroy();
            assertThat(tcpdump.waitFor(5, TimeUnit.SECONDS)).as("tcpdump stops").isTrue();
            byte[] captured = Files.readAllBytes(pcap);
            System.out.printf("captured %d bytes of the chat%s on alice's link; tcpdump said: %s%n", captured.length,
                    extra.length > 0 ? " with " + String.join(" ", extra) : "",
                    Files.readString(dir.resolve("tcpdump.out")).replace('\n', ' '));
            return new String(captured, StandardCharsets.ISO_8859_1);
        }
    }

    private static String[] args(String remote, String name, String... extra) {
        List<String> args = new ArrayList<>(List.of("--local", "" + PORT, "--remote", remote + ":" + PORT,
                "--name", name, "-v"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    /** Writes every segment of port {@value #PORT} on alice's link but SYNs and resets to {@code pcap}. */
    private static Process record(NetnsLab lab, Path pcap, Path log) throws IOException, InterruptedException {
        // -Z root: tcpdump would otherwise drop to its own user, who may not write into the test's directory.
        // --immediate-mode: without it packets wait in the kernel's ring for up to a second, and those still
        // there when tcpdump is stopped are lost ("received by filter" but never written; seen in CI). No SYNs
        // and resets (no segment with payload has either): the dial's storm of them made the kernel drop packets.
        Process tcpdump = lab.start(lab.a, List.of("tcpdump", "-i", lab.interfaceA, "-nn", "-U", "--immediate-mode",
                "-B", "8192", "-s", "0", "-Z", "root", "-w", pcap.toString(),
                "tcp port " + PORT + " and tcp[tcpflags] & (tcp-syn|tcp-rst) == 0"), log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.readString(log).contains("listening on") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(Files.readString(log)).as("tcpdump is capturing").contains("listening on");
        return tcpdump;
    }
}
