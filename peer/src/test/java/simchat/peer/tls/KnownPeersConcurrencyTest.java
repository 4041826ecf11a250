package simchat.peer.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several peer processes of one user remember their peers in one {@code known_peers} at the same time:
 * every line survives (each write is a read-modify-write of the whole file).
 */
class KnownPeersConcurrencyTest {

    private static final int PROCESSES = 4;
    private static final int ENDPOINTS_EACH = 30;

    @TempDir
    Path dir;

    @Test
    void peersRememberingAtTheSameTimeLoseNoOnesLine() throws Exception {
        List<Process> writers = new ArrayList<>();
        for (int p = 0; p < PROCESSES; p++) {
            writers.add(new ProcessBuilder(javaCommand(), "-cp", System.getProperty("java.class.path"),
                    Writer.class.getName(), dir.toString(), "10.0." + p, "" + ENDPOINTS_EACH)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        }
        for (Process writer : writers) {
            assertThat(writer.waitFor(60, TimeUnit.SECONDS)).as("writer finished").isTrue();
            assertThat(writer.exitValue()).isZero();
        }

        KnownPeers known = new KnownPeers(new ConfigDir(dir));
        List<String> missing = new ArrayList<>();
        for (int p = 0; p < PROCESSES; p++) {
            for (int i = 0; i < ENDPOINTS_EACH; i++) {
                String endpoint = "10.0." + p + "." + i + ":8000";
                if (known.lookup(endpoint).isEmpty()) {
                    missing.add(endpoint);
                }
            }
        }
        assertThat(missing).as("endpoints whose line was lost").isEmpty();
    }

    private static String javaCommand() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** One peer process: remembers {@code count} endpoints {@code prefix.i:8000}, one after the other. */
    public static final class Writer {
        public static void main(String[] args) throws Exception {
            KnownPeers known = new KnownPeers(new ConfigDir(Path.of(args[0])));
            Fingerprint key = Fingerprint.parse("SHA256:" + "ab".repeat(32));
            for (int i = 0; i < Integer.parseInt(args[2]); i++) {
                known.remember(args[1] + "." + i + ":8000", key);
            }
        }
    }
}
