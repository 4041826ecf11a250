package simchat.peer.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import simchat.peer.FileOptions;
import simchat.peer.tls.SecurityOptions;

/**
 * A scripted sender whose file arrives damaged (its bytes do not match the SHA-256 it sends): the receiver says so,
 * fetches the file once more, and keeps it only when the hash matches; never a damaged file under its final name.
 */
@Tag("e2e")
class DamagedFileTest {

    private final int bobPort = FreePorts.next();
    private final int rawPort = FreePorts.next();
    private final Path work = PeerUnderTest.freshConfigDir();
    private final Path downloads = Files.createDirectory(work.resolve("downloads"));

    DamagedFileTest() throws Exception {
    }

    @AfterEach
    void removeFiles() throws IOException {
        PeerUnderTest.deleteTree(work);
    }

    @Test
    void aMismatchIsReportedAndTheFileFetchedAgainOnce() throws Exception {
        try (var bob = receiver(); var raw = sender()) {
            sendFile(raw, "abc", sha256("abx"));
            assertThat(raw.readUntil("\"type\":\"file-done\"")).last().asString().contains("\"status\":\"mismatch\"");
            assertThat(bob.await("* d.bin arrived damaged")).contains("fetching it once more");
            sendFile(raw, "abc", sha256("abc"));
            assertThat(raw.readUntil("\"type\":\"file-done\"")).last().asString().contains("\"status\":\"ok\"");
            assertThat(bob.await("* received d.bin")).contains("SHA-256 " + sha256("abc") + " verified");
        }
        assertThat(downloads.resolve("d.bin")).hasContent("abc");
    }

    @Test
    void aSecondMismatchFailsTheFileAndKeepsNothing() throws Exception {
        try (var bob = receiver(); var raw = sender()) {
            sendFile(raw, "abc", sha256("abx"));
            raw.readUntil("\"type\":\"file-done\"");
            sendFile(raw, "abc", sha256("abx"));
            assertThat(raw.readUntil("\"type\":\"file-done\"")).last().asString().contains("\"status\":\"failed\"");
            assertThat(bob.await("* transfer 1 (d.bin) failed")).contains("did not match twice; not kept");
        }
        try (var left = Files.list(downloads)) {
            assertThat(left).as("neither the file nor its temporary name is left").isEmpty();
        }
    }

    private PeerUnderTest receiver() throws IOException {
        return new PeerUnderTest(PeerUnderTest.direct("bob", bobPort, rawPort)
                .withSecurity(new SecurityOptions(true, null, null))
                .withFiles(new FileOptions(List.of(), true, downloads)));
    }

    private RawPeer sender() throws IOException {
        RawPeer raw = RawPeer.dial(rawPort, bobPort, Duration.ofSeconds(30));
        raw.send("{\"type\":\"hello\",\"version\":1,\"name\":\"carol\",\"nonce\":\"c0\",\"features\":[\"files\"]}\n");
        raw.readUntil("\"type\":\"hello\"");
        raw.send("{\"type\":\"file-offer\",\"id\":1,\"name\":\"d.bin\",\"folder\":false,\"files\":1,\"bytes\":3}\n");
        raw.readUntil("\"type\":\"file-accept\"");
        return raw;
    }

    private static void sendFile(RawPeer raw, String content, String claimedHash) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.US_ASCII);
        raw.send("{\"type\":\"file-begin\",\"id\":1,\"index\":0,\"path\":\"d.bin\",\"size\":" + bytes.length
                + ",\"mode\":420}\n");
        raw.send(ByteBuffer.allocate(17 + bytes.length).put((byte) 0).putInt(1).putLong(0).putInt(bytes.length)
                .put(bytes).array());
        raw.send("{\"type\":\"file-end\",\"id\":1,\"index\":0,\"sha256\":\"" + claimedHash + "\"}\n");
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.US_ASCII)));
    }
}
