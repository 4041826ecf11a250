package simchat.peer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;
import picocli.CommandLine.TypeConversionException;
import simchat.peer.ExitCode;
import simchat.peer.HostPort;

class PeerCommandTest {

    private final StringWriter err = new StringWriter();
    private final StringWriter out = new StringWriter();

    @Test
    void parsesHostPortInEveryForm() {
        assertThat(HostPort.parse("10.0.0.2:8000")).isEqualTo(new HostPort("10.0.0.2", 8000));
        assertThat(HostPort.parse("peer.example.org:80")).isEqualTo(new HostPort("peer.example.org", 80));
        assertThat(HostPort.parse("[fe80::1]:8000")).isEqualTo(new HostPort("fe80::1", 8000));
        assertThat(HostPort.parse("[::1]:8000")).hasToString("[::1]:8000");
    }

    @Test
    void rejectsMalformedHostPorts() {
        for (String bad : new String[] {"10.0.0.2", "::1:8000", "[::1]8000", "host:0", "host:99999", ":8000", "h:x"}) {
            assertThatThrownBy(() -> HostPort.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        for (String bad : new String[] {"::1:8000", "[::1]8000", "[::1", "host:0", ":8000", "h:x", ""}) {
            assertThatThrownBy(() -> HostPort.parse(bad, 8000)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void parsesDurations() {
        DurationConverter durations = new DurationConverter();
        assertThat(durations.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(durations.convert("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(durations.convert("45")).isEqualTo(Duration.ofSeconds(45));
        assertThat(durations.convert("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(durations.convert("PT1H")).isEqualTo(Duration.ofHours(1));
        assertThatThrownBy(() -> durations.convert("0s")).isInstanceOf(TypeConversionException.class);
        assertThatThrownBy(() -> durations.convert("soon")).isInstanceOf(TypeConversionException.class);
    }

    @Test
    void showsHelpAndExitsZero() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("--local=PORT", "--remote=HOST[:PORT]", "Exit codes:");
    }

    @Test
    void badArgumentsGetOneLineErrorUsageAndExitCodeTwo() {
        assertThat(run("--local", "70000", "--remote", "10.0.0.2:8000")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).startsWith("peer: --local: 70000 (expected: 1-65535)")
                .contains("Try 'peer --help'").doesNotContain("Exception", "\tat ");
    }

    @Test
    void refusesADownloadDirThatIsNotAFolder() {
        assertThat(run("--local", "8000", "--remote", "h:1", "--download-dir", "/nonexistent/downloads"))
                .isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).startsWith("peer: --download-dir: /nonexistent/downloads is not a folder");
    }

    @Test
    void theHelpNamesTheFileOptions() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("--send=PATH", "--accept-files", "--download-dir=DIR");
    }

    @Test
    void requiresBothEnds() {
        assertThat(run("--local", "8000")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).startsWith("peer: Missing required argument")
                .contains("--remote=HOST[:PORT]", "--rendezvous=HOST[:PORT]");
    }

    @Test
    void aMistypedOptionIsNamedBeforeTheOptionItLeavesMissing() {
        assertThat(run("--lcoal", "8000")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).startsWith("peer: Unknown option: '--lcoal' (did you mean --local?)\n")
                .doesNotContain("Missing");
    }

    @Test
    void anUnknownOptionAmongKnownOnesIsNamedToo() {
        assertThat(run("--remote", "h", "--colour", "always")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).startsWith("peer: Unknown option: '--colour'");
    }

    @Test
    void anOptionValueThatLooksLikeAnOptionIsNotTakenForOne() {
        assertThat(PeerCommand.unknownOption(PeerCommand.commandLine().getCommandSpec(),
                new String[] {"--say", "-not-an-option", "--name=x"})).isNull();
    }

    @Test
    void theLocalPortDefaultsTo8000AndTheRemotePortToTheLocalOne() {
        assertThat(config("--remote", "10.0.0.2").localPort()).isEqualTo(8000);
        assertThat(config("--remote", "10.0.0.2").remote()).isEqualTo(new HostPort("10.0.0.2", 8000));
        assertThat(config("--local", "9001", "--remote", "[::1]").remote()).isEqualTo(new HostPort("::1", 9001));
        assertThat(config("--local", "9001", "--remote", "h:9002").remote()).isEqualTo(new HostPort("h", 9002));
    }

    @Test
    void theRendezvousPortDefaultsTo7000() {
        assertThat(config("--rendezvous", "rdv.example.org").rendezvous())
                .isEqualTo(new HostPort("rdv.example.org", 7000));
        assertThat(config("--rendezvous", "rdv.example.org:7100").rendezvous())
                .isEqualTo(new HostPort("rdv.example.org", 7100));
    }

    @Test
    void aMalformedRemoteIsAUsageError() {
        assertThat(run("--remote", "::1:8000")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).startsWith("peer: --remote: '::1:8000' (expected: HOST[:PORT], or [IPv6-address][:PORT])");
    }

    @Test
    void acceptsExactlyOneOfRemoteAndRendezvous() {
        assertThat(run("--local", "8000", "--remote", "h:1", "--rendezvous", "r:7000")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).startsWith("peer: --remote=HOST[:PORT], --rendezvous=HOST[:PORT] are mutually exclusive");
    }

    @Test
    void acceptsARoomOnlyWithARendezvous() {
        assertThat(run("--local", "8000", "--remote", "h:1", "--room", "7-amber-falcon")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).startsWith("peer: --room: only with --rendezvous");
    }

    @Test
    void refusesARoomCodeWithoutItsFourDigits() {
        assertThat(run("--local", "8000", "--rendezvous", "r:7000", "--room", "7-amber-falcon")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).startsWith("peer: --room: '7-amber-falcon' lacks the four digits at its end");
    }

    @Test
    void documentsTheRendezvousExitCodes() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("--rendezvous=HOST[:PORT]", "--room=CODE", "7     hole punching", "8     rendezvous");
    }

    @Test
    void rejectsANonNumericPort() {
        assertThat(run("--local", "eight", "--remote", "h:1")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("'eight' is not an int");
    }

    @Test
    void rejectsAnOverlongName() {
        assertThat(run("--local", "8000", "--remote", "h:1", "--name", "n".repeat(65))).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).startsWith("peer: --name: must be 1-64 characters");
    }

    @Test
    void rejectsAMalformedTrustFingerprintInOneLine() {
        assertThat(run("--local", "8000", "--remote", "h:1", "--trust", "SHA256:12ab")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).startsWith("peer: Invalid value for option '--trust'")
                .contains("has 4 hex digits (expected: 64").doesNotContain("Exception");
    }

    @Test
    void refusesTrustTogetherWithPlaintext() {
        assertThat(run("--local", "8000", "--remote", "h:1", "--plaintext", "--trust", "ab".repeat(32)))
                .isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).startsWith("peer: --trust: a key is only checked when encrypting");
    }

    @Test
    void refusesTrustTogetherWithARendezvousWhoseRoomCodeAuthenticates() {
        assertThat(run("--local", "8000", "--rendezvous", "h:1", "--trust", "ab".repeat(32)))
                .isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).startsWith("peer: --trust: only with --remote");
    }

    @Test
    void rejectsAnUnknownColourModeInOneLine() {
        assertThat(run("--local", "8000", "--remote", "h:1", "--color", "sometimes")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).startsWith("peer: --color: 'sometimes' (expected: auto, always or never)");
    }

    @Test
    void documentsColourAndBell() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("--color=WHEN", "NO_COLOR", "--[no-]bell");
    }

    @Test
    void documentsTheSecurityOptionsAndExitCodes() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("--trust=FINGERPRINT", "--plaintext", "--config-dir=DIR",
                "9     authentication failed", "10    this peer's files cannot be used");
    }

    private static simchat.peer.PeerConfig config(String... args) {
        PeerCommand command = new PeerCommand();
        new CommandLine(command).parseArgs(args);
        return command.config();
    }

    private int run(String... args) {
        CommandLine cli = PeerCommand.commandLine();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(out, true));
        return cli.execute(args);
    }
}
