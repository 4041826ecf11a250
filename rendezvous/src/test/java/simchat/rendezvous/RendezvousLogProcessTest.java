package simchat.rendezvous;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import simchat.rendezvous.protocol.Endpoint;
import simchat.rendezvous.protocol.Message;

/** {@code bin/rendezvous} as a process: what it logs with and without {@code -v}, and that the last lines survive a SIGTERM. */
@Tag("e2e")
class RendezvousLogProcessTest {

    private static final String TIME = "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ";

    @Test
    void verboseLogsEveryJoinWithItsTime() throws Exception {
        List<String> lines = runAndJoin("-v");

        assertThat(lines).as("the whole output").hasSize(3);
        assertThat(lines.get(1)).matches(TIME + "room \\d+-[a-z]+-[a-z]+: created by initiator 127\\.0\\.0\\.1:\\d+");
        assertThat(lines.get(2)).matches(TIME + "/127\\.0\\.0\\.1:\\d+: bad-request: not a valid message: .*");
    }

    @Test
    void withoutVerboseNeitherAJoinNorJunkIsLogged() throws Exception {
        assertThat(runAndJoin()).as("the whole output").singleElement().asString()
                .startsWith("rendezvous listening on 127.0.0.1:");
    }

    /**
     * Starts the rendezvous, joins a room, sends junk on the same connection, stops the rendezvous with
     * SIGTERM and returns everything it printed.
     */
    private static List<String> runAndJoin(String... options) throws Exception {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), RendezvousCommand.class.getName(),
                "--bind", "127.0.0.1", "--port", String.valueOf(port), "--no-probe"));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            List<String> lines = new ArrayList<>();
            lines.add(out.readLine());
            assertThat(lines.get(0)).as("the first line").startsWith("rendezvous listening on");
            try (RawClient client = RawClient.connect(new InetSocketAddress("127.0.0.1", port))) {
                client.send(new Message.Join(null, new Endpoint("192.168.1.10", 8000), "alice"));
                assertThat(client.receive()).isInstanceOf(Message.Joined.class);
                // Its answer comes after the join was logged (one event loop): the log call is behind us.
                client.sendRaw("junk\n".getBytes(StandardCharsets.UTF_8));
                assertThat(client.receive()).isInstanceOf(Message.Error.class);
            }
            // SIGTERM (through the handle: Process.destroy() would also close our end of its output): the
            // shutdown hooks run, and Logback's writes what it still holds.
            process.toHandle().destroy();
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                lines.add(line);
            }
            assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("exited").isTrue();
            return lines;
        } finally {
            process.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
