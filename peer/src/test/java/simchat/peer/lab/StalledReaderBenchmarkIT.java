package simchat.peer.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stalled reader: bob's standard output is not read for 45 s (its 64 KiB pipe fills within a thousand
 * lines) while 5,000 lines pasted into alice arrive. Asserts that neither side declares the connection lost
 * (bob keeps answering pings while his output is blocked) and that, once reading resumes, every line is shown
 * once and in order; prints both peers' heap (jcmd GC.heap_info) and resident memory during the stall.
 * System properties: {@code stall.seconds} (45), {@code stall.lines} (5000).
 */
@Tag("benchmark")
class StalledReaderBenchmarkIT {

    private static final int STALL_SECONDS = Integer.getInteger("stall.seconds", 45);
    private static final int LINES = Integer.getInteger("stall.lines", 5_000);
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    @TempDir
    Path dir;

    @BeforeAll
    static void needsTheLab() {
        NetnsLab.assumeAvailable("stalled-reader benchmark");
    }

    @Test
    void outputBlockedFor45SecondsWhileLinesArrive() throws Exception {
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).strip();
        List<String> samples = new ArrayList<>();
        Path aliceOut = dir.resolve("alice.out");
        try (NetnsLab lab = NetnsLab.create()) {
            Process alice = lab.start(lab.a, PeerProcess.command("--local", "8000", "--remote", lab.addressB + ":8000",
                    "--name", "alice"), aliceOut);
            Process bob = lab.startPiped(lab.b, PeerProcess.command("--local", "8000", "--remote",
                    lab.addressA + ":8000", "--name", "bob"));
            PeerOutput shown = new PeerOutput(bob.getInputStream(), "bob");
            shown.await("connected to alice", WAIT);
            samples.add("connected: " + memory("bob", bob) + "; " + memory("alice", alice));

            shown.pause();
            byte[] bytes = PasteBenchmarkIT.lines("s", LINES);
            OutputStream typed = alice.getOutputStream();
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try {
                    typed.write(bytes);
                    typed.flush();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            long stallStart = System.nanoTime();
            // The stall itself is the experiment: bob's output stays unread for the whole period.
            for (int s = 5; s <= STALL_SECONDS; s += 5) {
                Thread.sleep(Math.max(0, (stallStart + s * 1_000_000_000L - System.nanoTime()) / 1_000_000));
                samples.add(String.format(Locale.ROOT, "stalled %2d s: %s; %s", s, memory("bob", bob),
                        memory("alice", alice)));
            }
            assertThat(bob.isAlive()).as("bob still runs after the stall").isTrue();
            assertThat(alice.isAlive()).as("alice still runs after the stall").isTrue();

            shown.resume();
            long resumed = System.nanoTime();
            String prefix = "alice: s-";
            int expected = 1;
            while (expected <= LINES) {
                String line = shown.next(WAIT).text();
                int at = line.indexOf(prefix);
                if (at < 0) {
                    assertThat(line).as("only status lines between the pasted ones").startsWith("* ")
                            .doesNotContain("lost");
                    continue;
                }
                assertThat(Integer.parseInt(line.substring(at + prefix.length(), at + prefix.length() + 7)))
                        .as("every line once, in order").isEqualTo(expected);
                expected++;
            }
            double drainSeconds = (System.nanoTime() - resumed) / 1e9;
            writing.join();
            samples.add(String.format(Locale.ROOT, "all %d lines shown %.2f s after reading resumed: %s; %s", LINES,
                    drainSeconds, memory("bob", bob), memory("alice", alice)));
            assertThat(shown.all()).noneMatch(l -> l.contains("lost"));
            assertThat(Files.readAllLines(aliceOut)).noneMatch(l -> l.contains("lost"));
        }
        System.out.println("STALLED READER BENCHMARK (" + LINES + " lines, output unread for " + STALL_SECONDS
                + " s; TLS 1.3, journals on disk; load before: " + loadBefore + ", after: "
                + Files.readString(Path.of("/proc/loadavg")).strip() + ")");
        samples.forEach(s -> System.out.println("  " + s));
    }

    /** A peer JVM's heap in use (jcmd GC.heap_info) and resident set size. */
    private static String memory(String name, Process peer) throws IOException, InterruptedException {
        long pid = javaPid(peer);
        String heap = "?";
        try {
            Matcher used = HEAP_USED.matcher(NetnsLab.run("jcmd", String.valueOf(pid), "GC.heap_info"));
            if (used.find()) {
                heap = Long.parseLong(used.group(1)) / 1024 + " MiB";
            }
        } catch (IOException e) {
            heap = "(jcmd: " + e.getMessage().lines().findFirst().orElse("") + ")";
        }
        String rss = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(l -> l.startsWith("VmRSS:")).map(l -> l.substring(6).strip()).findFirst().orElse("?");
        return name + " heap used " + heap + ", RSS " + rss;
    }

    /** {@code ip netns exec} and {@code bin/peer} exec the JVM, so it normally keeps the pid we started. */
    private static long javaPid(Process peer) {
        return peer.toHandle().info().command().filter(c -> c.endsWith("java")).isPresent() ? peer.pid()
                : peer.descendants().filter(p -> p.info().command().filter(c -> c.endsWith("java")).isPresent())
                .findFirst().map(ProcessHandle::pid).orElse(peer.pid());
    }
}
