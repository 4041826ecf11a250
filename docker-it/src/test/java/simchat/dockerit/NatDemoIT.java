package simchat.dockerit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Runs the NAT demo of docker/nat/compose.yaml, alice and bob each behind a NAT router container
 * of their own, and checks that the rendezvous got them through both NATs by hole punching:
 * each saw its router's address as its public endpoint, connected to the other's public
 * endpoint, and showed the other's scripted lines.
 */
@Tag("docker")
class NatDemoIT {

    // Networks of our own, so that neither a NAT demo the user left running (172.29) nor the
    // default demo and DemoIT (172.28) collide with the test's. Outside Docker's default address
    // pools, and private: a documentation range such as 203.0.113.0/24 can shadow a real proxy.
    private static final String NET = "10.229";
    private static final String ALICE_PUBLIC = NET + ".0.11:8000";
    private static final String BOB_PUBLIC = NET + ".0.12:8000";

    // The --say lines of docker/nat/compose.yaml; keep both in step.
    private static final List<String> ALICE_SAYS = List.of(
            "Hi Bob, Alice here, behind my NAT. Did the rendezvous find you?",
            "Both routers drop connections from outside, yet here we are.");
    private static final List<String> BOB_SAYS = List.of(
            "Hello Alice, Bob here, behind mine. The rendezvous gave me your public address.",
            "Our SYNs crossed between the routers: a hole punch.");

    // The first run builds three images (peer, rendezvous, router), with Maven dependencies.
    private static final Duration BUILD_AND_START = Duration.ofMinutes(15);
    private static final Duration CONVERSATION = Duration.ofSeconds(90);

    private static ComposeProject demo;

    @BeforeAll
    static void startDemo() {
        ComposeProject.assumeDockerEngine();
        Path composeFile = Path.of(System.getProperty("simchat.natComposeFile", "../docker/nat/compose.yaml"));
        // A fixed project name, so a run that died half-way is cleaned up by the next one.
        demo = ComposeProject.find(composeFile.toAbsolutePath().normalize(), "simchat-nat-demo-it",
                        Map.of("SIMCHAT_NAT_NET", NET))
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
        String log = demo.awaitLog("alice",
                text -> BOB_SAYS.stream().allMatch(line -> text.contains("bob: " + line)), CONVERSATION);

        assertThat(log).as("alice's log").contains(BOB_SAYS.stream().map(line -> "bob: " + line).toList());
    }

    @Test
    void bobShowsEveryLineAliceSaid() {
        String log = demo.awaitLog("bob",
                text -> ALICE_SAYS.stream().allMatch(line -> text.contains("alice: " + line)), CONVERSATION);

        assertThat(log).as("bob's log").contains(ALICE_SAYS.stream().map(line -> "alice: " + line).toList());
    }

    @Test
    void eachPeerSeesItsRouterAsItsPortPreservingPublicEndpoint() {
        String alice = demo.awaitLog("alice", text -> text.contains("your public endpoint"), CONVERSATION);
        String bob = demo.awaitLog("bob", text -> text.contains("your public endpoint"), CONVERSATION);

        assertThat(alice).as("alice's log: the rendezvous saw her through her router")
                .contains("your public endpoint: " + ALICE_PUBLIC + " (your NAT kept the local port)");
        assertThat(bob).as("bob's log: the rendezvous saw him through his router")
                .contains("your public endpoint: " + BOB_PUBLIC + " (your NAT kept the local port)");
    }

    @Test
    void eachPeerConnectedThroughTheOthersPublicCandidate() {
        String alice = demo.awaitLog("alice", text -> text.contains("hole punched"), CONVERSATION);
        String bob = demo.awaitLog("bob", text -> text.contains("hole punched"), CONVERSATION);

        // The routers route no private addresses, so only the public candidate can connect.
        assertThat(alice).as("alice's log").contains("hole punched: the public endpoint " + BOB_PUBLIC + " connected");
        assertThat(bob).as("bob's log").contains("hole punched: the public endpoint " + ALICE_PUBLIC + " connected");
    }

    @Test
    void theChatIsEncryptedAndTheRoomCodeAuthenticatesThePeers() {
        String alice = demo.awaitLog("alice", text -> text.contains("* encrypted"), CONVERSATION);
        String bob = demo.awaitLog("bob", text -> text.contains("* encrypted"), CONVERSATION);

        assertThat(alice).as("alice's log").contains("* encrypted (TLS 1.3); the peer proved it knows the room code");
        assertThat(bob).as("bob's log").contains("* encrypted (TLS 1.3); the peer proved it knows the room code");
    }

    @Test
    void bothPeersStayUpForInteractiveUse() {
        demo.awaitLog("alice", text -> text.contains("bob: " + BOB_SAYS.get(BOB_SAYS.size() - 1)), CONVERSATION);
        demo.awaitLog("bob", text -> text.contains("alice: " + ALICE_SAYS.get(ALICE_SAYS.size() - 1)), CONVERSATION);

        assertThat(demo.isRunning("alice")).as("alice still running after the exchange").isTrue();
        assertThat(demo.isRunning("bob")).as("bob still running after the exchange").isTrue();
    }
}
