package simchat.peer.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simchat.peer.console.ChatEvent;

class SecurityOptionsTest {

    @TempDir
    Path dir;

    private final List<ChatEvent> events = new ArrayList<>();

    @Test
    void plaintextWarnsAndSetsUpNoTls() throws Exception {
        assertThat(new SecurityOptions(true, null, dir).setUp("h:1", events::add)).isNull();
        assertThat(events).singleElement().asString().contains("WARNING: --plaintext", "NOT encrypted");
    }

    @Test
    void rendezvousModeLetsTheRoomCodeVouchForThePeer() throws Exception {
        TlsSetup tls = new SecurityOptions(false, null, dir).setUpForRoom(() -> "7-amber-falcon-4821", events::add);

        assertThat(tls.policy()).isInstanceOf(TrustPolicy.RoomCode.class);
        assertThat(events).singleElement().isInstanceOf(ChatEvent.OwnKey.class);
    }

    @Test
    void aPinnedKeyIsNoSubstituteForTheRoomCodeCheckTheOtherPeerRuns() {
        var options = new SecurityOptions(false, LocalIdentity.generate().fingerprint(), dir);

        assertThatThrownBy(() -> options.setUpForRoom(() -> "7-amber-falcon-4821", events::add))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--trust and --rendezvous exclude each other: the room code authenticates the other peer");
    }

    @Test
    void encryptionShowsOurFingerprintAndSaysWhenTheIdentityIsNew() throws Exception {
        var options = new SecurityOptions(false, null, dir);
        TlsSetup first = options.setUp("h:1", events::add);
        options.setUp("h:1", events::add);

        String fp = first.identity().fingerprint().toString();
        String file = dir.resolve("identity.pem").toString();
        assertThat(events).containsExactly(new ChatEvent.OwnKey(fp, file, true), new ChatEvent.OwnKey(fp, file, false));
    }

    @Test
    void aConfigDirThatCannotBeCreatedIsAOneLineErrorNamingIt() throws Exception {
        Path file = Files.createFile(dir.resolve("a-file"));
        var options = new SecurityOptions(false, null, file.resolve("simchat"));

        assertThatThrownBy(() -> options.setUp("h:1", events::add)).isInstanceOf(IOException.class)
                .hasMessage("cannot keep this peer's identity in " + file.resolve("simchat") + ": " + file
                        + ": exists and is not a directory (choose another place with --config-dir)");
        assertThat(events).isEmpty();
    }
}
