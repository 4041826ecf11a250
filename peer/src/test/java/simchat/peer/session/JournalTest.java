package simchat.peer.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simchat.peer.wire.Chat;

class JournalTest {

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("chats").resolve("chat.jsonl");
    }

    @Test
    void startsAFreshChatWithANewEpochAndSequenceOne() throws IOException {
        try (Journal journal = Journal.open(file())) {
            assertThat(journal.epoch()).isNotBlank();
            assertThat(journal.nextSeq()).isEqualTo(1);
            assertThat(journal.unacked()).isEmpty();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file()))).isEqualTo("rw-------");
        }
    }

    @Test
    void leavesNoFileBehindForAChatThatNeverSentNorShowedAnything() throws IOException {
        Journal.open(file()).close();
        assertThat(file()).doesNotExist();
    }

    @Test
    void refusesASecondOpenWhileTheFirstIsOpen() throws IOException {
        try (Journal journal = Journal.open(file())) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Journal.open(file()))
                    .isInstanceOf(Journal.InUseException.class);
        }
    }

    @Test
    void keepsUnacknowledgedLinesAcrossARestart() throws IOException {
        String epoch;
        try (Journal journal = Journal.open(file())) {
            epoch = journal.epoch();
            journal.sent(chat(1, "one"));
            journal.sent(chat(2, "two"));
            journal.sent(chat(3, "three"));
            journal.acked(1);
        }
        try (Journal journal = Journal.open(file())) {
            assertThat(journal.epoch()).isEqualTo(epoch);
            assertThat(journal.unacked()).extracting(Chat::text).containsExactly("two", "three");
            assertThat(journal.nextSeq()).isGreaterThan(3);
        }
    }

    @Test
    void neverReusesASequenceNumberOnceEverythingWasAcknowledged() throws IOException {
        try (Journal journal = Journal.open(file())) {
            journal.sent(chat(1, "one"));
            journal.sent(chat(2, "two"));
            journal.acked(2);
        }
        try (Journal journal = Journal.open(file())) {
            assertThat(journal.unacked()).isEmpty();
            assertThat(journal.nextSeq()).isGreaterThan(2);
        }
    }

    @Test
    void remembersWhatWasShownFromEachPeerEpoch() throws IOException {
        try (Journal journal = Journal.open(file())) {
            journal.shown("peer-epoch-1", 7, () -> { });
            journal.shown("peer-epoch-1", 5, () -> { });
            journal.shown("peer-epoch-2", 1, () -> { });
        }
        try (Journal journal = Journal.open(file())) {
            assertThat(journal.shownUpTo("peer-epoch-1")).isEqualTo(7);
            assertThat(journal.shownUpTo("peer-epoch-2")).isEqualTo(1);
            assertThat(journal.shownUpTo("someone-else")).isZero();
        }
    }

    @Test
    void ignoresALineTornByACrash() throws IOException {
        try (Journal journal = Journal.open(file())) {
            journal.sent(chat(1, "kept"));
        }
        Files.writeString(file(), "{\"sent\":{\"type\":\"chat\",\"id\":\"x\",\"se", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        try (Journal journal = Journal.open(file())) {
            assertThat(journal.unacked()).extracting(Chat::text).containsExactly("kept");
        }
    }

    @Test
    void compactsOnOpenSoThatTheFileStaysSmall() throws IOException {
        try (Journal journal = Journal.open(file())) {
            for (int seq = 1; seq <= 1_000; seq++) {
                journal.sent(chat(seq, "line " + seq));
                journal.acked(seq);
            }
        }
        Journal.open(file()).close();
        assertThat(Files.readAllLines(file())).hasSize(1);
    }

    @Test
    void compactsALongChatWhileItRunsSoThatTheFileStaysSmall() throws IOException {
        try (Journal journal = Journal.open(file(), 100)) {
            for (int seq = 1; seq <= 1_000; seq++) {
                journal.sent(chat(seq, "line " + seq));
                journal.acked(seq);
                journal.flushed().join();
                // 100 appended lines, the compacted epoch line, and at most one reservation in between.
                assertThat(Files.readAllLines(file()).size()).isLessThanOrEqualTo(102);
            }
            journal.sent(chat(1_001, "still queued"));
        }
        try (Journal journal = Journal.open(file())) {
            assertThat(journal.unacked()).extracting(Chat::text).containsExactly("still queued");
            assertThat(journal.nextSeq()).isGreaterThan(1_001);
        }
    }

    @Test
    void remembersTheLatestPlaceToMeetAgainAcrossRestarts() throws IOException {
        Journal.Meeting first = new Journal.Meeting("7-amber-falcon-0042", "0".repeat(32));
        Journal.Meeting later = new Journal.Meeting("7-amber-falcon-0042", "f".repeat(32));
        try (Journal journal = Journal.open(file())) {
            assertThat(journal.meeting()).isNull();
            journal.sent(chat(1, "one"));
            journal.meetAgainAt(first);
            journal.meetAgainAt(later);
        }
        try (Journal journal = Journal.open(file())) {
            assertThat(journal.meeting()).isEqualTo(later);
        }
        try (Journal journal = Journal.open(file())) {
            assertThat(journal.meeting()).as("kept by compaction").isEqualTo(later);
        }
    }

    @Test
    void forgetsEverythingWhenTheChatEndsOnPurpose() throws IOException {
        Journal journal = Journal.open(file());
        journal.sent(chat(1, "bye soon"));
        journal.delete();
        assertThat(file()).doesNotExist();
        try (Journal fresh = Journal.open(file())) {
            assertThat(fresh.nextSeq()).isEqualTo(1);
            assertThat(fresh.epoch()).isNotEqualTo(journal.epoch());
        }
    }

    @Test
    void reservesSequenceNumbersDurablySoThatARestartAfterACrashNeverReusesOneThatWentOnTheWire() throws IOException {
        Path crashed = dir.resolve("crashed").resolve("chats").resolve("chat.jsonl");
        try (Journal journal = Journal.open(file())) {
            journal.sent(chat(journal.nextSeq(), "recorded"));
            journal.flushed().join();
            // A kill -9 now leaves this file; the next line goes on the wire before its record is written.
            Files.createDirectories(crashed.getParent());
            Files.copy(file(), crashed);
            long onTheWire = journal.nextSeq();
            assertThat(onTheWire).as("may go out before its record is durable").isLessThanOrEqualTo(journal.sendableUpTo());
            journal.sent(chat(onTheWire, "sent, never recorded"));
            try (Journal restarted = Journal.open(crashed)) {
                assertThat(restarted.unacked()).extracting(Chat::text).containsExactly("recorded");
                assertThat(restarted.nextSeq()).isGreaterThan(journal.sendableUpTo());
            }
        }
    }

    @Test
    void asksForTheNextBlockOfNumbersBeforeTheCurrentOneRunsOut() throws IOException {
        List<Long> reservations = new CopyOnWriteArrayList<>();
        try (Journal journal = Journal.open(file())) {
            journal.listen(Runnable::run, () -> reservations.add(journal.sendableUpTo()), e -> { });
            long first = journal.sendableUpTo();
            long seq = journal.nextSeq();
            for (; seq <= first - Journal.RESERVE_BLOCK / 2 + 1; seq++) {
                journal.sent(chat(seq, "line " + seq));
            }
            journal.flushed().join();
            assertThat(reservations).as("reserved while half of the first block was left").hasSize(1);
            assertThat(journal.sendableUpTo()).isGreaterThan(first).isGreaterThanOrEqualTo(seq + Journal.RESERVE_BLOCK / 2);
        }
    }

    @Test
    void writesEverythingQueuedWhileADiskWriteWasInProgressWithOneForce() throws Exception {
        CountDownLatch firstBatchDone = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> durable = new CopyOnWriteArrayList<>();
        try (Journal journal = Journal.open(file())) {
            journal.listen(task -> {
                if (firstBatchDone.getCount() > 0) {
                    firstBatchDone.countDown();
                    awaitQuietly(release);   // the writer is busy with its first batch until released
                }
                task.run();
            }, () -> { }, e -> { });
            journal.shown("peer", 1, () -> durable.add("1"));
            assertThat(firstBatchDone.await(10, TimeUnit.SECONDS)).isTrue();
            long syncsAfterFirst = journal.syncs();
            for (int seq = 2; seq <= 1_000; seq++) {
                String s = String.valueOf(seq);
                journal.shown("peer", seq, () -> durable.add(s));
            }
            CompletableFuture<Void> flushed = journal.flushed();
            release.countDown();
            flushed.join();
            assertThat(journal.syncs() - syncsAfterFirst).as("999 marks and a barrier in one batch").isEqualTo(1);
            assertThat(durable).hasSize(1_000).startsWith("1", "2", "3").endsWith("1000");
        }
        try (Journal journal = Journal.open(file())) {
            assertThat(journal.shownUpTo("peer")).isEqualTo(1_000);
        }
    }

    @Test
    void reportsADiskThatIsFullAndRunsNoCallbackForWhatItCouldNotWrite() throws Exception {
        CompletableFuture<IOException> failure = new CompletableFuture<>();
        List<Long> durable = new CopyOnWriteArrayList<>();
        // /dev/full fails every write with ENOSPC, as a full disk does.
        try (Journal journal = Journal.open(file(), Journal.COMPACT_AFTER,
                f -> FileChannel.open(Path.of("/dev/full"), StandardOpenOption.WRITE))) {
            journal.listen(Runnable::run, () -> { }, failure::complete);
            journal.shown("peer", 1, () -> durable.add(1L));
            assertThat(failure.get(10, TimeUnit.SECONDS)).hasMessageContaining("No space left on device");
            journal.shown("peer", 2, () -> durable.add(2L));
            journal.flushed();
        }
        assertThat(durable).isEmpty();
    }

    @Test
    void keepsTheLockFileSoThatEveryProcessLocksTheSameOne() throws IOException {
        Journal journal = Journal.open(file());
        journal.sent(chat(1, "one"));
        journal.delete();
        assertThat(Journal.lockFile(file())).exists();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Chat chat(long seq, String text) {
        return new Chat("id-" + seq, seq, 1000 + seq, text);
    }
}
