package simchat.peer.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import simchat.peer.ExitCode;
import simchat.peer.FileOptions;
import simchat.peer.PeerConfig;
import simchat.peer.tls.SecurityOptions;

/** Two peers in this JVM send files and folders to each other over real loopback sockets, with chat beside them. */
@Tag("e2e")
class FileTransferTest {

    private static final SecurityOptions PLAINTEXT = new SecurityOptions(true, null, null);

    private final int alicePort = FreePorts.next();
    private final int bobPort = FreePorts.next();
    private final Path work = PeerUnderTest.freshConfigDir();
    private final Path outbox = Files.createDirectory(work.resolve("outbox"));
    private final Path downloads = Files.createDirectory(work.resolve("downloads"));

    FileTransferTest() throws Exception {
    }

    @AfterEach
    void removeFiles() throws IOException {
        PeerUnderTest.deleteTree(work);
    }

    @Test
    void aFileAndAFolderArriveByteForByteInPlaintext() throws Exception {
        sendsAFileAndAFolder(PLAINTEXT);
    }

    @Test
    void aFileAndAFolderArriveByteForByteOverTls() throws Exception {
        sendsAFileAndAFolder(SecurityOptions.DEFAULT);
    }

    private void sendsAFileAndAFolder(SecurityOptions security) throws Exception {
        Path file = write(outbox.resolve("report.pdf"), 3 * 1024 * 1024 + 17);
        Path folder = Files.createDirectories(outbox.resolve("holiday"));
        write(folder.resolve("a.jpg"), 200_000);
        write(Files.createDirectories(folder.resolve("2024/summer")).resolve("b.jpg"), 70_000);
        write(folder.resolve("empty.txt"), 0);
        try (var alice = new PeerUnderTest(sender(security, file, folder));
             var bob = new PeerUnderTest(receiver(security))) {
            assertThat(bob.await("* alice offers report.pdf")).contains("(3.1 MB)").endsWith("/accept 1 or /reject 1");
            assertThat(bob.await("* alice offers holiday/")).contains("(3 files, 270 kB)");
            String hash = sha256(file);
            // Her bye waits until both transfers are done.
            alice.endInput();
            bob.await("* alice left the chat");
            assertThat(alice.exitCode()).isEqualTo(ExitCode.OK);
            assertThat(bob.exitCode()).isEqualTo(ExitCode.OK);
            assertThat(bob.printed()).anyMatch(l -> l.startsWith("* received report.pdf (3.1 MB, SHA-256 "
                    + hash + " verified) in "));
            assertThat(bob.printed()).anyMatch(l -> l.startsWith("* received holiday/ (3 files, 270 kB, SHA-256 verified)"));
            assertThat(alice.printed()).anyMatch(l -> l.startsWith("* sent holiday/ (3 files, 270 kB, SHA-256 verified)"));
            assertThat(alice.printed()).anyMatch(l -> l.startsWith("* sent report.pdf (3.1 MB, SHA-256 " + hash));
        }
        assertThat(downloads.resolve("report.pdf")).hasSameBinaryContentAs(file);
        assertThat(tree(downloads.resolve("holiday"))).containsExactly("2024/summer/b.jpg", "a.jpg", "empty.txt");
        for (String name : tree(folder)) {
            assertThat(downloads.resolve("holiday").resolve(name)).hasSameBinaryContentAs(folder.resolve(name));
        }
        assertThat(tree(downloads)).as("no temporary files left").noneMatch(n -> n.contains(".part"));
    }

    @Test
    void anExistingFileIsNeverOverwritten() throws Exception {
        Path file = write(outbox.resolve("report.pdf"), 5000);
        Files.writeString(downloads.resolve("report.pdf"), "mine");
        try (var alice = new PeerUnderTest(sender(PLAINTEXT, file));
             var bob = new PeerUnderTest(receiver(PLAINTEXT))) {
            assertThat(bob.await("* received report.pdf")).endsWith(", saved as " + downloads.resolve("report (1).pdf"));
            alice.endInput();
            assertThat(alice.exitCode()).isEqualTo(ExitCode.OK);
        }
        assertThat(downloads.resolve("report.pdf")).hasContent("mine");
        assertThat(downloads.resolve("report (1).pdf")).hasSameBinaryContentAs(file);
    }

    @Test
    void theReceiverAcceptsWithACommandAndChatKeepsFlowingDuringTheTransfer() throws Exception {
        Path big = write(outbox.resolve("big.bin"), 160 * 1024 * 1024);
        PeerConfig bobAsks = PeerUnderTest.direct("bob", bobPort, alicePort).withSecurity(PLAINTEXT)
                .withFiles(new FileOptions(List.of(), false, downloads));
        try (var alice = new PeerUnderTest(sender(PLAINTEXT, big));
             var bob = new PeerUnderTest(bobAsks)) {
            bob.await("* alice offers big.bin (168 MB): /accept 1 or /reject 1");
            bob.type("/transfers");
            assertThat(bob.await("*   1  receive")).contains("offered: /accept 1 or /reject 1");
            bob.type("/accept 1");
            bob.await("* receiving big.bin into " + downloads);
            alice.await("* big.bin accepted, sending");
            alice.type("still here?");
            bob.await("alice: still here?");
            bob.type("yes");
            alice.await("bob: yes");
            assertThat(alice.printed()).as("the chat went both ways while the file was under way")
                    .noneMatch(l -> l.startsWith("* sent big.bin"));
            alice.await("* sent big.bin");
            bob.await("* received big.bin");
            alice.endInput();
            assertThat(alice.exitCode()).isEqualTo(ExitCode.OK);
        }
        assertThat(downloads.resolve("big.bin")).hasSameBinaryContentAs(big);
    }

    @Test
    void aCancelledTransferEndsOnBothSidesAndLeavesNoPartialFile() throws Exception {
        Path big = write(outbox.resolve("big.bin"), 200 * 1024 * 1024);
        PeerConfig bobAsks = PeerUnderTest.direct("bob", bobPort, alicePort).withSecurity(PLAINTEXT)
                .withFiles(new FileOptions(List.of(), false, downloads));
        try (var alice = new PeerUnderTest(sender(PLAINTEXT, big));
             var bob = new PeerUnderTest(bobAsks)) {
            bob.await("* alice offers big.bin");
            bob.type("/accept 1");
            bob.await("* receiving big.bin");
            bob.type("/cancel 1");
            assertThat(bob.await("* transfer 1 (big.bin) failed: ")).endsWith("cancelled by the receiver");
            assertThat(alice.await("* transfer 1 (big.bin) failed: ")).endsWith("bob cancelled it (cancelled by the receiver)");
            alice.endInput();
            assertThat(alice.exitCode()).isEqualTo(ExitCode.OK);
            assertThat(bob.exitCode()).isEqualTo(ExitCode.OK);
        }
        assertThat(downloads).isEmptyDirectory();
    }

    @Test
    void aDeclinedOfferIsReportedToTheSender() throws Exception {
        Path file = write(outbox.resolve("no.txt"), 10);
        PeerConfig bobAsks = PeerUnderTest.direct("bob", bobPort, alicePort).withSecurity(PLAINTEXT)
                .withFiles(new FileOptions(List.of(), false, downloads));
        try (var alice = new PeerUnderTest(sender(PLAINTEXT, file));
             var bob = new PeerUnderTest(bobAsks)) {
            bob.await("* alice offers no.txt");
            bob.type("/reject 1");
            assertThat(alice.await("* transfer 1 (no.txt) failed")).contains("the other peer declined it");
            alice.endInput();
            assertThat(alice.exitCode()).isEqualTo(ExitCode.OK);
        }
        assertThat(downloads).isEmptyDirectory();
    }

    @Test
    void aPeerWithoutTheFeatureIsNeverSentAnOffer() throws Exception {
        Path file = write(outbox.resolve("x.txt"), 10);
        try (var alice = new PeerUnderTest(sender(PLAINTEXT, file));
             var raw = RawPeer.dial(bobPort, alicePort, java.time.Duration.ofSeconds(30))) {
            raw.send("{\"type\":\"hello\",\"version\":1,\"name\":\"old\",\"nonce\":\"0ld\"}\n");
            assertThat(raw.readFrame()).contains("\"type\":\"hello\"").containsPattern("\"features\":\\[[^]]*\"files\"");
            assertThat(alice.await("* transfer 1 (x.txt) failed")).contains("the other peer cannot receive files");
            alice.type("still chatting");
            assertThat(raw.readFrame()).as("the next frame is the chat line, not an offer")
                    .contains("\"type\":\"chat\"").contains("still chatting");
        }
    }

    @Test
    void aFileChangedSinceTheOfferIsReportedAndNotKept() throws Exception {
        Path file = write(outbox.resolve("x.bin"), 1000);
        PeerConfig bobAsks = PeerUnderTest.direct("bob", bobPort, alicePort).withSecurity(PLAINTEXT)
                .withFiles(new FileOptions(List.of(), false, downloads));
        try (var alice = new PeerUnderTest(sender(PLAINTEXT, file));
             var bob = new PeerUnderTest(bobAsks)) {
            bob.await("* alice offers x.bin (1.0 kB)");
            Files.write(file, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
            bob.type("/accept 1");
            assertThat(alice.await("* not sending x.bin: ")).endsWith("it changed since it was offered (1000 bytes then,"
                    + " 1003 now)");
            assertThat(bob.await("* transfer 1 (x.bin) failed: ")).contains("the sender: it changed since it was offered");
            alice.endInput();
            assertThat(alice.exitCode()).isEqualTo(ExitCode.OK);
        }
        assertThat(downloads).isEmptyDirectory();
    }

    @Test
    void jsonOutputHasAnEventForEachStepOfATransfer() throws Exception {
        Path file = write(outbox.resolve("j.bin"), 4096);
        PeerConfig bobJson = new PeerConfig(bobPort, new simchat.peer.HostPort("127.0.0.1", alicePort), "127.0.0.1",
                "bob", true, false, java.time.Duration.ofSeconds(30), List.of()).withSecurity(PLAINTEXT)
                .withFiles(new FileOptions(List.of(), true, downloads));
        try (var alice = new PeerUnderTest(sender(PLAINTEXT, file));
             var bob = new PeerUnderTest(bobJson)) {
            assertThat(bob.await("{\"event\":\"file-offer\"")).isEqualTo("{\"event\":\"file-offer\",\"n\":1,"
                    + "\"from\":\"alice\",\"name\":\"j.bin\",\"folder\":false,\"files\":1,\"bytes\":4096}");
            assertThat(bob.await("{\"event\":\"file-accepted\"")).contains("\"into\":\"" + downloads + "\"");
            assertThat(bob.await("{\"event\":\"file-received\"")).contains("\"path\":\"j.bin\"")
                    .contains("\"savedAs\":\"" + downloads.resolve("j.bin") + "\"").contains("\"bytes\":4096")
                    .contains("\"sha256\":\"" + sha256(file) + "\"").contains("\"millis\":");
            alice.endInput();
            assertThat(alice.exitCode()).isEqualTo(ExitCode.OK);
        }
    }

    private PeerConfig sender(SecurityOptions security, Path... paths) {
        return PeerUnderTest.direct("alice", alicePort, bobPort).withSecurity(security)
                .withFiles(new FileOptions(List.of(paths), false, work));
    }

    private PeerConfig receiver(SecurityOptions security) {
        return PeerUnderTest.direct("bob", bobPort, alicePort).withSecurity(security)
                .withFiles(new FileOptions(List.of(), true, downloads));
    }

    private static Path write(Path file, int size) throws IOException {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return Files.write(file, bytes);
    }

    static String sha256(Path file) throws Exception {
        var digest = java.security.MessageDigest.getInstance("SHA-256");
        return java.util.HexFormat.of().formatHex(digest.digest(Files.readAllBytes(file)));
    }

    private static List<String> tree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }
}
