package simchat.rendezvous;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import simchat.rendezvous.protocol.Endpoint;
import simchat.rendezvous.protocol.ErrorCode;
import simchat.rendezvous.protocol.Message;
import simchat.rendezvous.protocol.Outcome;

/**
 * The relay on a real rendezvous on loopback, with raw socket clients: who gets tokens and when, splicing two
 * relay connections into one byte stream, and the limits (token lifetime, one use per token, pairs, bytes).
 */
class RelayTest {

    private static final Endpoint A_LAN = new Endpoint("192.168.1.10", 8000);
    private static final Endpoint B_LAN = new Endpoint("10.0.0.20", 8000);
    private static final String SYMMETRIC = "your NAT picks a new public port for every destination";

    private RendezvousServer server;
    private final List<RawClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(RawClient::close);
        if (server != null) {
            server.close();
        }
    }

    private void start(RelayLimits limits) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        server = new RendezvousServer(RendezvousConfig.of(new InetSocketAddress(loopback, 0), null)
                .withRelay(limits)).start();
    }

    @Test
    void aPairWhoseBothPeersAcceptRelayingIsToldSoAndARelayRequestGivesEachItsOwnToken() throws Exception {
        start(RelayLimits.defaults());
        RawClient[] pair = pair(true, true);

        pair[0].send(new Message.RelayRequest(SYMMETRIC));

        Message.Relay a = until(pair[0], Message.Relay.class);
        Message.Relay b = until(pair[1], Message.Relay.class);
        assertThat(a.detail()).isEqualTo(SYMMETRIC);
        assertThat(b.detail()).isEqualTo(SYMMETRIC);
        assertThat(a.token()).isNotEqualTo(b.token());
        assertThat(pair[0].closedByServer()).as("the rendezvous closes the introduction's connection").isTrue();
        assertThat(pair[1].closedByServer()).isTrue();
        assertThat(server.rooms()).isZero();
    }

    @Test
    void splicedConnectionsCarryEveryByteBothWaysUnchanged() throws Exception {
        start(RelayLimits.defaults());
        RawClient[] relayed = splice(relayTokens());

        relayed[0].sendRaw("starttls from a\n".getBytes(StandardCharsets.UTF_8));
        relayed[1].sendRaw("starttls from b\n".getBytes(StandardCharsets.UTF_8));
        assertThat(relayed[1].line()).isEqualTo("starttls from a");
        assertThat(relayed[0].line()).isEqualTo("starttls from b");

        // More than the relay's socket buffers hold: reading pauses and resumes on the way.
        String big = "x".repeat(4 << 20);
        Thread sender = new Thread(() -> relayed[0].sendRaw(big.getBytes(StandardCharsets.US_ASCII)));
        sender.start();
        assertThat(relayed[1].readTimeout(20_000).read(big.length())).isEqualTo(big);
        sender.join(20_000);
    }

    @Test
    void whenOneSplicedPeerClosesTheOtherIsClosedTooAndThePairNoLongerCounts() throws Exception {
        start(RelayLimits.defaults().with(1, 1 << 20));
        RawClient[] relayed = splice(relayTokens());

        relayed[0].close();

        assertThat(relayed[1].closedByServer()).isTrue();
        // The one pair allowed is free again: a second pair gets its tokens.
        assertThat(relayTokens()).hasSize(2);
    }

    @Test
    void aPeerThatDoesNotAcceptRelayingMakesThePairUnrelayableAndARequestIsRefused() throws Exception {
        start(RelayLimits.defaults());
        RawClient[] pair = pair(true, false);

        pair[0].send(new Message.RelayRequest(SYMMETRIC));

        assertThat(until(pair[0], Message.Error.class)).isEqualTo(
                new Message.Error(ErrorCode.RELAY_UNAVAILABLE, "the other peer does not accept relaying"));
        assertThat(until(pair[1], Message.Error.class).code()).isEqualTo(ErrorCode.PEER_LEFT);
    }

    @Test
    void aRendezvousThatDoesNotRelayNeverOffersItAndRefusesSplices() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        server = new RendezvousServer(RendezvousConfig.of(new InetSocketAddress(loopback, 0), null)).start();
        RawClient[] pair = pair(true, true);
        assertThat(pair[0].receive()).isInstanceOf(Message.Ping.class); // peer came first, relay absent (asserted in pair)

        RawClient splice = client();
        splice.send(new Message.Splice("0123456789abcdef0123456789abcdef"));

        assertThat(splice.receive()).isEqualTo(
                new Message.Error(ErrorCode.RELAY_UNAVAILABLE, "this rendezvous does not relay"));
        assertThat(splice.closedByServer()).isTrue();
    }

    @Test
    void afterThreeFailedRoundsARelayablePairGetsTokensInsteadOfPunchFailed() throws Exception {
        start(RelayLimits.defaults());
        RawClient[] pair = pair(true, true);

        List<java.util.concurrent.CompletableFuture<Message.Relay>> relays = new ArrayList<>();
        for (RawClient peer : pair) {
            // Each peer on a thread of its own: a round's sync waits for both peers' pongs.
            relays.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                for (int round = 1; round <= 3; round++) {
                    Message.Sync sync = until(peer, Message.Sync.class);
                    assertThat(sync.round()).isEqualTo(round);
                    peer.send(new Message.Result(round, Outcome.FAILED, null, "no candidate connected within 5 s"));
                }
                return until(peer, Message.Relay.class);
            }));
        }

        for (var relay : relays) {
            assertThat(relay.get(30, java.util.concurrent.TimeUnit.SECONDS).detail())
                    .isEqualTo("no connection after 3 rounds of hole punching");
        }
    }

    @Test
    void anUnknownTokenIsRefusedAndOnlyThatConnectionCloses() throws Exception {
        start(RelayLimits.defaults());
        String[] tokens = relayTokens();
        RawClient waiting = client();
        waiting.send(new Message.Splice(tokens[0]));

        RawClient stranger = client();
        stranger.send(new Message.Splice("0123456789abcdef0123456789abcdef"));

        assertThat(stranger.receive()).isEqualTo(new Message.Error(ErrorCode.UNKNOWN_TOKEN,
                "no such relay token (mistyped, expired or used)"));
        RawClient other = client();
        other.send(new Message.Splice(tokens[1]));
        assertThat(waiting.receive()).isEqualTo(new Message.Spliced());
        assertThat(other.receive()).isEqualTo(new Message.Spliced());
    }

    @Test
    void aTokenIsGoodForOneConnectionOnly() throws Exception {
        start(RelayLimits.defaults());
        String[] tokens = relayTokens();
        client().send(new Message.Splice(tokens[0]));

        RawClient again = client();
        again.send(new Message.Splice(tokens[0]));

        assertThat(again.receive().toString()).contains(ErrorCode.UNKNOWN_TOKEN);
    }

    @Test
    void aPeerWhosePartnerDoesNotComeWithinTheTokenLifetimeIsToldWhyAndClosed() throws Exception {
        start(RelayLimits.defaults().withTokenTimeout(Duration.ofMillis(300)));
        String[] tokens = relayTokens();
        RawClient waiting = client();
        waiting.send(new Message.Splice(tokens[0]));

        assertThat(waiting.receive()).isEqualTo(new Message.Error(ErrorCode.RELAY_TIMEOUT,
                "the other peer did not come to the relay within 300 ms"));
        RawClient late = client();
        late.send(new Message.Splice(tokens[1]));
        assertThat(late.receive().toString()).contains(ErrorCode.UNKNOWN_TOKEN);
    }

    @Test
    void aPairThatReachesItsByteCapIsCutOff() throws Exception {
        start(RelayLimits.defaults().with(4, 10_000));
        RawClient[] relayed = splice(relayTokens());

        relayed[0].sendRaw(new byte[6_000]);
        relayed[1].sendRaw(new byte[6_000]);

        assertThat(relayed[0].readToEnd()).as("bytes a got before the relay closed").isLessThanOrEqualTo(6_000);
        assertThat(relayed[1].readToEnd()).as("bytes b got before the relay closed").isLessThanOrEqualTo(6_000);
    }

    @Test
    void aPairBeyondTheRelaysLimitIsRefusedWithBothToldWhy() throws Exception {
        start(RelayLimits.defaults().with(1, 1 << 20));
        relayTokens();
        RawClient[] second = pair(true, true);

        second[0].send(new Message.RelayRequest(SYMMETRIC));

        Message.Error error = until(second[0], Message.Error.class);
        assertThat(error).isEqualTo(new Message.Error(ErrorCode.RELAY_FULL,
                "the relay carries 1 pairs already (at most 1)"));
        assertThat(until(second[1], Message.Error.class)).isEqualTo(error);
    }

    @Test
    void pairsFromOneAddressAreCappedWhileOthersStillGetTheRelay() throws Exception {
        start(RelayLimits.defaults().withPairsPerAddress(1));
        relayTokens(); // both peers from 127.0.0.1
        RawClient[] same = pair(true, true);
        same[0].send(new Message.RelayRequest(SYMMETRIC));
        assertThat(until(same[0], Message.Error.class).message())
                .isEqualTo("the relay carries 1 pairs from 127.0.0.1 already (at most 1 per address)");

        RawClient[] elsewhere = pair("127.0.0.2", "127.0.0.3");
        elsewhere[0].send(new Message.RelayRequest(SYMMETRIC));
        assertThat(until(elsewhere[1], Message.Relay.class)).isNotNull();
    }

    // ---- helpers

    /** Two peers paired in a room, with what they accept; checks what {@code peer} says of the relay. */
    private RawClient[] pair(boolean aAccepts, boolean bAccepts) {
        return pair(client(), client(), aAccepts, bAccepts);
    }

    private RawClient[] pair(String aFrom, String bFrom) {
        return pair(track(RawClient.connect(server.address(), aFrom)), track(RawClient.connect(server.address(), bFrom)),
                true, true);
    }

    private RawClient[] pair(RawClient a, RawClient b, boolean aAccepts, boolean bAccepts) {
        a.send(new Message.Join(null, A_LAN, "alice", aAccepts ? true : null));
        Message.Joined joined = (Message.Joined) a.receive();
        b.send(new Message.Join(joined.room(), B_LAN, "bob", bAccepts ? true : null));
        assertThat(b.receive()).isInstanceOf(Message.Joined.class);
        Message.Peer peerOfA = (Message.Peer) a.receive();
        Message.Peer peerOfB = (Message.Peer) b.receive();
        boolean relayable = aAccepts && bAccepts && relays();
        assertThat(peerOfA.relayable()).as("relayable, as told to a").isEqualTo(relayable);
        assertThat(peerOfB.relayable()).as("relayable, as told to b").isEqualTo(relayable);
        return new RawClient[] {a, b};
    }

    private boolean relays() {
        try {
            java.lang.reflect.Field field = RendezvousServer.class.getDeclaredField("config");
            field.setAccessible(true);
            return ((RendezvousConfig) field.get(server)).relay() != null;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** A relayed pair's tokens, as a relay request got them. */
    private String[] relayTokens() {
        RawClient[] pair = pair(true, true);
        pair[0].send(new Message.RelayRequest(SYMMETRIC));
        return new String[] {until(pair[0], Message.Relay.class).token(), until(pair[1], Message.Relay.class).token()};
    }

    /** Two relay connections with {@code tokens}, once both are spliced. */
    private RawClient[] splice(String[] tokens) {
        RawClient a = client();
        a.send(new Message.Splice(tokens[0]));
        RawClient b = client();
        b.send(new Message.Splice(tokens[1]));
        assertThat(a.receive()).isEqualTo(new Message.Spliced());
        assertThat(b.receive()).isEqualTo(new Message.Spliced());
        return new RawClient[] {a, b};
    }

    /** Reads frames, answering pings, until one of {@code type}. */
    private static <T extends Message> T until(RawClient client, Class<T> type) {
        for (int i = 0; i < 100; i++) {
            Message next = client.receive();
            if (type.isInstance(next)) {
                return type.cast(next);
            }
            if (next instanceof Message.Ping ping) {
                client.send(new Message.Pong(ping.seq()));
            } else if (!(next instanceof Message.Sync)) {
                throw new AssertionError("expected " + type.getSimpleName() + ", got " + next);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " within 100 frames");
    }

    private RawClient client() {
        return track(RawClient.connect(server.address(), 0));
    }

    private RawClient track(RawClient client) {
        clients.add(client);
        return client;
    }
}
