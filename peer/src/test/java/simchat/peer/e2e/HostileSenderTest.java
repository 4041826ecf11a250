package simchat.peer.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import simchat.peer.ExitCode;
import simchat.peer.FileOptions;
import simchat.peer.tls.SecurityOptions;

/**
 * A scripted sender that breaks the file rules meets a real receiver that accepts every offer: the receiver
 * disconnects with the reason (exit 6) and writes nothing outside its download folder.
 */
@Tag("e2e")
class HostileSenderTest {

    private final int bobPort = FreePorts.next();
    private final int rawPort = FreePorts.next();
    private final Path work = PeerUnderTest.freshConfigDir();
    private final Path downloads = Files.createDirectory(work.resolve("downloads"));

    HostileSenderTest() throws Exception {
    }

    @AfterEach
    void removeFiles() throws IOException {
        PeerUnderTest.deleteTree(work);
    }

    static Stream<Arguments> attacks() {
        return Stream.of(
                Arguments.of("a path that climbs out", offer("x", 5), begin("x/../../escape.txt", 5), null,
                        "has a '..' component"),
                Arguments.of("an absolute path", offer("passwd", 5), begin("/etc/passwd", 5), null,
                        "has an absolute path"),
                Arguments.of("a device name", offer("NUL.txt", 5), null, null, "names a file with a device name"),
                Arguments.of("a control character in a name", offer("a\\u001b[2Jb", 5), null, null,
                        "names a file with a control character"),
                Arguments.of("more bytes than the file has", offer("x.bin", 5), begin("x.bin", 5), data(1, 0, 6),
                        "file data at 0+6 for file 0 of 5 bytes"),
                Arguments.of("a bigger file than offered", offer("x.bin", 5), begin("x.bin", 6), null,
                        "more bytes than the 5 offered"),
                Arguments.of("data for a transfer never offered", offer("x.bin", 5), null, data(7, 0, 3),
                        "file data for transfer 7, which was never offered"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void isDisconnectedWithTheReason(String attack, String offer, String begin, byte[] data, String reason)
            throws Exception {
        var bob = new PeerUnderTest(PeerUnderTest.direct("bob", bobPort, rawPort)
                .withSecurity(new SecurityOptions(true, null, null))
                .withFiles(new FileOptions(List.of(), true, downloads)));
        try (bob; var raw = RawPeer.dial(rawPort, bobPort, Duration.ofSeconds(30))) {
            raw.send("{\"type\":\"hello\",\"version\":1,\"name\":\"mallory\",\"nonce\":\"m0\",\"features\":[\"files\"]}\n");
            raw.readUntil("\"type\":\"hello\"");
            raw.send(offer);
            if (begin != null || data != null) {
                raw.readUntil("\"type\":\"file-accept\"");
            }
            if (begin != null) {
                raw.send(begin);
            }
            if (data != null) {
                raw.send(data);
            }
            assertThat(raw.readUntil("\"type\":\"bye\"")).last().asString().contains("protocol error").contains(reason);
            assertThat(bob.exitCode()).isEqualTo(ExitCode.PROTOCOL_ERROR);
            assertThat(bob.await("* error: closing the connection: ")).contains(reason);
        }
        try (Stream<Path> left = Files.walk(work)) {
            assertThat(left.filter(Files::isRegularFile)).as("nothing written outside the download folder")
                    .allMatch(p -> p.startsWith(downloads));
        }
        try (Stream<Path> left = Files.walk(downloads)) {
            assertThat(left.filter(Files::isRegularFile)).as("nothing kept").isEmpty();
        }
    }

    private static String offer(String name, long bytes) {
        return "{\"type\":\"file-offer\",\"id\":1,\"name\":\"" + name + "\",\"folder\":" + name.equals("x")
                + ",\"files\":1,\"bytes\":" + bytes + "}\n";
    }

    private static String begin(String path, long size) {
        return "{\"type\":\"file-begin\",\"id\":1,\"index\":0,\"path\":\"" + path + "\",\"size\":" + size
                + ",\"mode\":420}\n";
    }

    private static byte[] data(int id, long offset, int length) {
        ByteBuffer frame = ByteBuffer.allocate(17 + length);
        frame.put((byte) 0).putInt(id).putLong(offset).putInt(length);
        frame.put("x".repeat(length).getBytes(StandardCharsets.US_ASCII));
        return frame.array();
    }
}
