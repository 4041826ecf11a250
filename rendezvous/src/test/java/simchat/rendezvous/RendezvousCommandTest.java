package simchat.rendezvous;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RendezvousCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = RendezvousCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void helpDocumentsTheOptionsAndExitCodes() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("--port", "--bind", "--room-ttl", "--verbose", "Exit codes:",
                "3   the port (or probe port) is already in use");
    }

    @Test
    void helpSaysTheRelayIsOffByDefaultAndHowItIsCapped() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("--relay", "off by default", "--relay-limit=PAIRS,BYTES");
    }

    @Test
    void anInvalidRelayLimitIsOneLineAndExitCode2() {
        assertThat(run("--relay", "--relay-limit", "lots")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("rendezvous: --relay-limit: lots (expected: PAIRS,BYTES with both at "
                + "least 1, e.g. 50,16M) (see: rendezvous --help)" + System.lineSeparator());
    }

    @Test
    void aRelayLimitWithoutTheRelayIsOneLineAndExitCode2() {
        assertThat(run("--relay-limit", "10,1M")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("rendezvous: --relay-limit: only with --relay (see: rendezvous --help)"
                + System.lineSeparator());
    }

    @Test
    void anInvalidPortIsOneLineAndExitCode2() {
        assertThat(run("--port", "70000")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo(
                "rendezvous: --port: 70000 (expected: 1-65535) (see: rendezvous --help)" + System.lineSeparator());
    }

    @Test
    void anInvalidDurationIsOneLineAndExitCode2() {
        assertThat(run("--room-ttl", "soon")).isEqualTo(2);
        assertThat(err.toString().lines()).singleElement().asString().contains("--room-ttl", "'soon'");
    }

    @Test
    void aPortInUseIsOneLineAndExitCode3() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();

            assertThat(run("--bind", "127.0.0.1", "--port", String.valueOf(port), "--no-probe"))
                    .isEqualTo(RendezvousCommand.EXIT_PORT_IN_USE);
            assertThat(err.toString()).isEqualTo("rendezvous: cannot listen on 127.0.0.1:" + port
                    + ": address already in use" + System.lineSeparator());
        }
    }

    @Test
    void aProbePortInUseIsNamedAsSuch() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int probe = taken.getLocalPort();
            int port = probe == 65535 ? probe - 1 : probe + 1;

            assertThat(run("--bind", "127.0.0.1", "--port", String.valueOf(port), "--probe-port", String.valueOf(probe)))
                    .isEqualTo(RendezvousCommand.EXIT_PORT_IN_USE);
            assertThat(err.toString()).contains("127.0.0.1:" + probe + ": address already in use");
        }
    }

    @Test
    void anAddressThatIsNotLocalIsExitCode4() {
        assertThat(run("--bind", "192.0.2.1", "--port", "7000", "--no-probe")).isEqualTo(RendezvousCommand.EXIT_CANNOT_BIND);
        assertThat(err.toString()).startsWith("rendezvous: cannot listen on 192.0.2.1:7000: ");
    }
}
