package simchat.peer.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Errors at start that depend on the process' environment (its home directory, its privileges), run as real
 * {@code bin/peer} processes on this JVM's classpath: each says what is wrong, or carries on as documented.
 */
@Tag("e2e")
class StartupErrorsProcessTest {

    @TempDir
    Path dir;

    /** How a peer process ended: its exit code and everything it printed. */
    private record Run(int exit, String output) {
    }

    @Test
    void aUserWithoutAHomeDirectoryChatsWithEverythingInMemoryInsteadOfFailing() throws Exception {
        // As /nonexistent is for a system user, whoever runs the test (root too): nothing can be created in it.
        Path home = Files.writeString(dir.resolve("a-file"), "").resolve("home");
        Run run = run(List.of(), Map.of("HOME", home.toString()), "-Duser.home=" + home,
                "--local", String.valueOf(FreePorts.next()), "--remote", "127.0.0.1:" + FreePorts.next(),
                "--bind", "127.0.0.1", "--give-up-after", "1s");

        assertThat(run.exit()).as("exit code (3: gave up dialing, not 10)\n" + run.output()).isEqualTo(3);
        assertThat(run.output()).contains("it lives in memory only")
                .contains("this run uses a new identity kept in memory only and remembers no peer's key")
                .contains("* your fingerprint: SHA256:").contains("(a new identity for this run only)")
                .contains("* dialing ").doesNotContain("exit 10", "Exception");
    }

    @Test
    void aPrivilegedLocalPortIsExplainedAsSuchNotBlamedOnAnotherProgram() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/setpriv")),
                "needs root and setpriv to run a peer without CAP_NET_BIND_SERVICE");
        // Root without the capability binds low ports as any other user does: not at all.
        Run run = run(List.of("/usr/bin/setpriv", "--bounding-set=-net_bind_service"), Map.of(), null,
                "--local", "80", "--remote", "127.0.0.1:" + FreePorts.next(), "--bind", "127.0.0.1",
                "--plaintext", "--config-dir", dir.resolve("config").toString());

        assertThat(run.exit()).as("exit code\n" + run.output()).isEqualTo(4);
        assertThat(run.output()).contains("* error: local port 80 is a privileged port: only root or a program with"
                + " CAP_NET_BIND_SERVICE may bind it").contains("choose a --local port of 1024 or more")
                .doesNotContain("another program");
    }

    private Run run(List<String> prefix, Map<String, String> env, String property, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (property != null) {
            command.add(property);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "simchat.peer.cli.PeerCommand"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().remove("XDG_CONFIG_HOME");
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the peer ended\n" + output).isTrue();
        return new Run(process.exitValue(), output);
    }
}
