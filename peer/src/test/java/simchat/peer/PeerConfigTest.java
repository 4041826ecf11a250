package simchat.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class PeerConfigTest {

    @Test
    void namesTheChatAfterTheLocalPortAndTheOtherPeerSoThatARestartFindsItsJournal() {
        assertThat(direct(8000, "10.0.0.2", 8000, null).chatKey()).isEqualTo("to-10.0.0.2-8000-from-8000-as-alice");
        // A restart may change everything but the chat's ends: output, verbosity, patience, lines to say.
        assertThat(new PeerConfig(8000, new HostPort("10.0.0.2", 8000), null, "alice", true, true,
                Duration.ofSeconds(5), List.of("hello again")).chatKey())
                .as("the key of the same chat started with other options")
                .isEqualTo(direct(8000, "10.0.0.2", 8000, null).chatKey());
    }

    @Test
    void givesDifferentChatsDifferentNames() {
        assertThat(List.of(direct(8000, "10.0.0.2", 8000, null).chatKey(), direct(8001, "10.0.0.2", 8000, null).chatKey(),
                direct(8000, "10.0.0.3", 8000, null).chatKey(), direct(8000, "10.0.0.2", 8001, null).chatKey(),
                direct(8000, "10.0.0.2", 8000, "10.0.0.1").chatKey(),
                new PeerConfig(8000, new HostPort("10.0.0.2", 8000), null, "bob", false, false, null, List.of()).chatKey(),
                new PeerConfig(8000, null, null, "a", false, false, null, List.of(), new HostPort("10.0.0.2", 8000), null)
                        .chatKey())).doesNotHaveDuplicates();
    }

    @Test
    void makesEveryHostAFileNameWithoutSeparators() {
        assertThat(direct(8000, "fe80::1%eth0", 8000, null).chatKey()).isEqualTo("to-fe80__1_eth0-8000-from-8000-as-alice")
                .doesNotContain("/", ":");
        assertThat(direct(8000, "../../etc", 8000, null).chatKey()).doesNotContain("/");
        assertThat(new PeerConfig(8000, new HostPort("h", 1), null, "a/b c", false, false, null, List.of()).chatKey())
                .isEqualTo("to-h-1-from-8000-as-a_b_c");
    }

    private static PeerConfig direct(int local, String host, int port, String bind) {
        return new PeerConfig(local, new HostPort(host, port), bind, "alice", false, false, null, List.of());
    }
}
