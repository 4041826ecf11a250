package simchat.peer.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

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
            assertThat(journal.nextSeq()).isEqualTo(4);
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
            assertThat(journal.nextSeq()).isEqualTo(3);
        }
    }

    @Test
    void remembersWhatWasShownFromEachPeerEpoch() throws IOException {
        try (Journal journal = Journal.open(file())) {
            journal.shown("peer-epoch-1", 7);
            journal.shown("peer-epoch-1", 5);
            journal.shown("peer-epoch-2", 1);
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
                assertThat(Files.readAllLines(file()).size()).isLessThanOrEqualTo(101);
            }
            journal.sent(chat(1_001, "still queued"));
        }
        try (Journal journal = Journal.open(file())) {
            assertThat(journal.unacked()).extracting(Chat::text).containsExactly("still queued");
            assertThat(journal.nextSeq()).isEqualTo(1_002);
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

    private static Chat chat(long seq, String text) {
        return new Chat("id-" + seq, seq, 1000 + seq, text);
    }
}
