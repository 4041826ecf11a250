package simchat.peer.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import simchat.peer.console.ChatEvent;

/**
 * The room-code check with its J-PAKE steps held back, as if computing on another thread: the peer's
 * frames wait their turn, and a step that finishes after the connection closed leaves no trace.
 */
class RoomCodeCheckOffLoopTest {

    private static final LocalIdentity ALICE = LocalIdentity.generate();
    private static final LocalIdentity BOB = LocalIdentity.generate();
    private static final TrustPolicy ROOM = new TrustPolicy.RoomCode(() -> "7-amber-falcon");

    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void closeAll() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    @Test
    void framesArrivingWhileAStepComputesAreHandledAfterItInOrder() {
        HeldSteps aliceSteps = new HeldSteps();
        TlsPair pair = pair(aliceSteps);
        pair.pump();
        assertThat(aliceSteps.held).as("alice's first round, still computing").hasSize(1);

        int stepsRun = 0;
        for (; !aliceSteps.held.isEmpty() && stepsRun < 10; stepsRun++) {
            // Bob's frames reach alice before her step is done: they must wait for it.
            pair.pump();
            aliceSteps.runOne();
            pair.pump();
        }

        assertThat(stepsRun).as("alice's steps: round 1, round 2, confirmation, verification").isEqualTo(4);
        assertThat(pair.alice.events(ChatEvent.PeerKey.class)).extracting(ChatEvent.PeerKey::trust)
                .containsExactly("room-code");
        assertThat(pair.alice.events(ChatEvent.Connected.class)).hasSize(1);
        assertThat(pair.bob.events(ChatEvent.Connected.class)).hasSize(1);
    }

    @Test
    void theHelloOfAPeerThatPassedFirstWaitsForOurVerificationAndIsNotLost() {
        HeldSteps aliceSteps = new HeldSteps();
        TlsPair pair = pair(aliceSteps);
        for (int i = 0; i < 3; i++) {
            pair.pump();
            aliceSteps.runOne();
        }
        pair.pump();
        assertThat(pair.bob.events(ChatEvent.PeerKey.class)).as("bob already checked alice").hasSize(1);
        assertThat(aliceSteps.held).as("alice's verification of bob, still computing").hasSize(1);

        aliceSteps.runOne();
        pair.pump();

        assertThat(pair.alice.events(ChatEvent.Connected.class)).as("bob's hello reached alice's chat")
                .singleElement().extracting(ChatEvent.Connected::peer).isEqualTo("bob");
    }

    @Test
    void aStepFinishingAfterTheConnectionClosedWritesNothing() {
        HeldSteps aliceSteps = new HeldSteps();
        TlsPair pair = pair(aliceSteps);
        pair.pump();
        aliceSteps.runOne();
        pair.pump();
        assertThat(aliceSteps.held).as("alice's second round, still computing").hasSize(1);

        pair.alice.channel.close();
        // TLS says goodbye as the channel closes.
        drainOutbound(pair.alice.channel);
        aliceSteps.runOne();
        pair.alice.channel.runPendingTasks();

        assertThat((Object) pair.alice.channel.readOutbound()).as("written after the close").isNull();
        assertThat(pair.alice.events(ChatEvent.PeerKey.class)).isEmpty();
    }

    private TlsPair pair(Executor aliceSteps) {
        var alice = TlsPair.side("alice", "aaaa", ROOM, ALICE, aliceSteps);
        var bob = TlsPair.side("bob", "bbbb", ROOM, BOB);
        channels.addAll(List.of(alice.channel, bob.channel));
        return new TlsPair(alice, bob);
    }

    private static void drainOutbound(EmbeddedChannel channel) {
        for (ByteBuf buf; (buf = channel.readOutbound()) != null; ) {
            buf.release();
        }
    }

    /**
     * Runs TLS's handshake tasks at once but holds each J-PAKE step (a {@link CompletableFuture}'s
     * asynchronous task) until the test runs it, on the test's thread.
     */
    private static final class HeldSteps implements Executor {
        final Queue<Runnable> held = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            if (task instanceof CompletableFuture.AsynchronousCompletionTask) {
                held.add(task);
            } else {
                task.run();
            }
        }

        void runOne() {
            held.remove().run();
        }
    }
}
