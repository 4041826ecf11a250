package simchat.dockerit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Runs the default demo of docker/compose.yaml, alice and bob on one network, and checks that
 * they connected by simultaneous open, exchanged their scripted lines and stayed up.
 */
@Tag("docker")
class DemoIT {

    // The --say lines of docker/compose.yaml; keep both in step.
    private static final List<String> ALICE_SAYS = List.of(
            "Hi Bob, Alice here. Neither of us is listening, right?",
            "Right, we both dialled, and our SYNs crossed.");
    private static final List<String> BOB_SAYS = List.of(
            "Hello Alice, Bob here. No server, no listener, still connected.",
            "That is a TCP simultaneous open.");

    // The first run builds the peer image, with its Maven dependencies, from scratch.
    private static final Duration BUILD_AND_START = Duration.ofMinutes(15);
    private static final Duration CONVERSATION = Duration.ofSeconds(90);

    private static ComposeProject demo;

    @BeforeAll
    static void startDemo() {
        ComposeProject.assumeDockerEngine();
        Path composeFile = Path.of(System.getProperty("simchat.composeFile", "../docker/compose.yaml"));
        // A fixed project name, so a run that died half-way is cleaned up by the next one; and
        // a subnet of its own, so a demo the user left running does not collide with the test.
        demo = ComposeProject.find(composeFile.toAbsolutePath().normalize(), "simchat-demo-it",
                        Map.of("SIMCHAT_SUBNET", "172.28.99"))
                .orElse(null);
        assumeTrue(demo != null, "Docker is running, but neither `docker compose` nor `docker-compose` is installed");
        demo.down();
        demo.up(BUILD_AND_START);
    }

    @AfterAll
    static void stopDemo() {
        if (demo != null) {
            demo.down();
        }
    }

    @Test
    void aliceShowsEveryLineBobSaid() {
        String log = awaitLog("alice", text -> BOB_SAYS.stream().allMatch(line -> text.contains("bob: " + line)));

        assertThat(log).as("alice's log").contains(BOB_SAYS.stream().map(line -> "bob: " + line).toList());
    }

    @Test
    void bobShowsEveryLineAliceSaid() {
        String log = awaitLog("bob", text -> ALICE_SAYS.stream().allMatch(line -> text.contains("alice: " + line)));

        assertThat(log).as("bob's log").contains(ALICE_SAYS.stream().map(line -> "alice: " + line).toList());
    }

    @Test
    void theChatIsEncryptedAndEachPeerRemembersTheOthersKey() {
        String alice = awaitLog("alice", text -> text.contains("* encrypted"));
        String bob = awaitLog("bob", text -> text.contains("* encrypted"));

        // The image's user has a private config directory, where the identity and known peers are written.
        assertThat(alice).as("alice's log").contains("* your fingerprint: SHA256:",
                "* encrypted (TLS 1.3); first contact with ");
        assertThat(bob).as("bob's log").contains("* your fingerprint: SHA256:",
                "* encrypted (TLS 1.3); first contact with ");
    }

    @Test
    void bothPeersStayUpForInteractiveUse() {
        awaitLog("alice", text -> text.contains("bob: " + BOB_SAYS.get(BOB_SAYS.size() - 1)));
        awaitLog("bob", text -> text.contains("alice: " + ALICE_SAYS.get(ALICE_SAYS.size() - 1)));

        assertThat(demo.isRunning("alice")).as("alice still running after the exchange").isTrue();
        assertThat(demo.isRunning("bob")).as("bob still running after the exchange").isTrue();
    }

    private static String awaitLog(String service, Predicate<String> done) {
        return demo.awaitLog(service, done, CONVERSATION);
    }
}
