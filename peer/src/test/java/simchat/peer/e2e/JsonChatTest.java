package simchat.peer.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import simchat.peer.ExitCode;
import simchat.peer.HostPort;
import simchat.peer.PeerConfig;
import simchat.peer.wire.Limits;

/** Two peers in this JVM over loopback, read through {@code --json}: remote text as sent, long lines, leaving. */
@Tag("e2e")
class JsonChatTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int alicePort = FreePorts.next();
    private final int bobPort = FreePorts.next();

    JsonChatTest() throws Exception {
    }

    @Test
    void carriesTheRemoteTextExactlyAsTypedEvenEscapeSequences() throws Exception {
        String red = "\u001b[31mred\u001b[0m and a literal \\x1B";
        try (var alice = new PeerUnderTest(json("alice", alicePort, bobPort));
             var bob = new PeerUnderTest(json("bob", bobPort, alicePort))) {
            alice.await("\"event\":\"connected\"");
            bob.await("\"event\":\"connected\"");

            alice.type(red);

            String line = bob.await("\"event\":\"message\"");
            assertThat(line).as("JSON escapes only, nothing but ASCII controls escaped")
                    .contains("\"text\":\"\\u001B[31mred\\u001B[0m and a literal \\\\x1B\"").doesNotContain("\u001b");
            assertThat(JSON.readTree(line).get("text").asText()).isEqualTo(red);
            alice.endInput();
            bob.await("\"event\":\"peer-left\"");
        }
    }

    @Test
    void aLinePastedLongerThanOneMessageArrivesAsOneMessage() throws Exception {
        StringBuilder paste = new StringBuilder("BEGIN ");
        for (int i = 0; paste.length() < 5_000; i++) {
            paste.append(i).append(' ');
        }
        paste.append("END");
        assertThat(paste.length()).isGreaterThan(Limits.MAX_TEXT_CHARS);
        try (var alice = new PeerUnderTest(json("alice", alicePort, bobPort));
             var bob = new PeerUnderTest(json("bob", bobPort, alicePort))) {
            alice.type(paste.toString());
            alice.type("after it");

            JsonNode message = JSON.readTree(bob.await("\"event\":\"message\""));
            assertThat(message.get("text").asText()).isEqualTo(paste.toString());
            assertThat(message.get("parts").asInt()).isEqualTo(2);
            assertThat(message.get("seq").asLong()).as("the last part's").isEqualTo(2);
            JsonNode next = JSON.readTree(bob.await("\"event\":\"message\""));
            assertThat(next.get("text").asText()).isEqualTo("after it");
            assertThat(next.has("parts")).isFalse();
            assertThat(alice.await("\"event\":\"delivered\",\"seq\":3")).isNotNull();

            alice.endInput();
            bob.await("\"event\":\"peer-left\"");
            assertThat(bob.exitCode()).isEqualTo(ExitCode.OK);
        }
    }

    @Test
    void saysLeftWhenLeavingOnOnesOwnAndPeerLeftOnTheOtherSide() throws Exception {
        try (var alice = new PeerUnderTest(json("alice", alicePort, bobPort));
             var bob = new PeerUnderTest(json("bob", bobPort, alicePort))) {
            alice.await("\"event\":\"connected\"");
            alice.type("see you");
            alice.type("/quit");

            assertThat(JSON.readTree(alice.await("\"event\":\"left\""))).isEqualTo(
                    JSON.readTree("{\"event\":\"left\",\"reason\":\"quit\",\"undelivered\":0}"));
            bob.await("\"event\":\"peer-left\"");
            bob.endInput();
            assertThat(alice.exitCode()).isEqualTo(ExitCode.OK);
            assertThat(bob.exitCode()).isEqualTo(ExitCode.OK);
            assertThat(bob.printed()).noneMatch(l -> l.contains("\"event\":\"left\""));
        }
    }

    @Test
    void saysLeftAtTheEndOfInput() throws Exception {
        try (var alice = new PeerUnderTest(json("alice", alicePort, bobPort));
             var bob = new PeerUnderTest(json("bob", bobPort, alicePort))) {
            alice.await("\"event\":\"connected\"");
            alice.endInput();
            assertThat(alice.await("\"event\":\"left\"")).contains("\"reason\":\"end-of-input\"");
            bob.await("\"event\":\"peer-left\"");
        }
    }

    private static PeerConfig json(String name, int localPort, int remotePort) {
        return new PeerConfig(localPort, new HostPort("127.0.0.1", remotePort), "127.0.0.1", name, true, false,
                Duration.ofSeconds(30), List.of());
    }
}
