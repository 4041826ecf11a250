package simchat.peer.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes never both run one chat: the journal's lock file stays where it is, so a process that opened
 * it just before another process ended the chat and the process started next lock the same file.
 */
class JournalLockTest {

    @TempDir
    Path dir;

    @Test
    void aProcessThatOpenedTheLockFileJustBeforeTheChatEndedStillExcludesTheNextOne() throws Exception {
        Path file = dir.resolve("chats").resolve("chat.jsonl");
        Process ending = child("end", file);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(ending.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo("open");
            // This process is between open() and tryLock() of Journal.open while the other ends its chat.
            try (FileChannel early = FileChannel.open(Journal.lockFile(file), StandardOpenOption.WRITE)) {
                ending.getOutputStream().write('\n');
                ending.getOutputStream().flush();
                assertThat(ending.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(ending.exitValue()).isZero();
                FileLock lock = early.tryLock();
                assertThat(lock).as("the chat is over: the early process gets the lock").isNotNull();

                Process next = child("open", file);
                String said = new String(next.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                assertThat(next.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(said).as("the next process finds the chat locked by the early one").isEqualTo("in use");
            }
        }
    }

    /** A JVM running {@link JournalLockChild} with this test's classpath. */
    private static Process child(String mode, Path file) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                JournalLockChild.class.getName(), mode, file.toString()))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
