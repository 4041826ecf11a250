package simchat.peer.rendezvous;

import io.netty.channel.ConnectTimeoutException;
import simchat.peer.Outcome;
import simchat.peer.console.Sanitizer;
import simchat.peer.dial.AttemptOutcome;
import simchat.peer.dial.PrivilegedPort;
import simchat.rendezvous.protocol.Endpoint;
import simchat.rendezvous.protocol.ErrorCode;
import simchat.rendezvous.protocol.Message;
import simchat.rendezvous.protocol.Nullable;
import simchat.rendezvous.protocol.Role;

/**
 * Every sentence the rendezvous introduction says to the user: the status lines, and each failure as an
 * {@link Outcome.Failure} whose message tells what happened and what to do about it.
 */
final class Advice {

    private Advice() {
    }

    static Outcome.Failure unreachable(String rendezvous, String reason, int localPort) {
        if (PrivilegedPort.refused(reason)) {
            return new Outcome.PortUnavailable(PrivilegedPort.explain(localPort));
        }
        return new Outcome.RendezvousFailed("cannot reach the rendezvous at " + rendezvous + " (" + reason
                + "): check --rendezvous and that the rendezvous is running");
    }

    static String atTheRendezvousAgain(Endpoint observed, Role role) {
        return "at the rendezvous again (your public endpoint: " + observed + "); "
                + (role == Role.INITIATOR ? "waiting for the other peer to come back too"
                : "the other peer is there already");
    }

    static String noProbePort() {
        return "the rendezvous has no probe port: cannot tell in advance whether your NAT allows hole punching";
    }

    static String natCheckFailed(String reason) {
        return "NAT check failed (" + reason + "); trying anyway";
    }

    /** The name is the other peer's own words, relayed: no terminal control characters from it. */
    static String peerIsHere(Message.Peer peer) {
        return "the other peer" + (peer.name() == null ? "" : " (" + Sanitizer.clean(peer.name()) + ")")
                + " is here: public " + peer.publicEndpoint() + ", private " + peer.privateEndpoint();
    }

    static String privateEndpointOnly() {
        return "your NAT maps ports per destination, but the other peer shares your public address: trying its "
                + "private endpoint only";
    }

    static Outcome.Failure symmetricNat(NatVerdict nat, int localPort) {
        return new Outcome.PunchImpossible("hole punching cannot work from here: your NAT showed the rendezvous "
                + nat.observed() + " but its probe port " + nat.probed() + " for the same local port " + localPort
                + ", so it picks a new public port for every destination (a symmetric or port-randomising NAT) "
                + "and the other peer cannot know which port to dial. What you can do: forward TCP port "
                + localPort + " on your router to this host and have the other person run bin/peer with "
                + "--remote " + nat.observed().host() + ":" + localPort + "; or use another network (e.g. a phone "
                + "hotspot or a home router); or meet on the same LAN.");
    }

    /**
     * The same, for a peer that accepts relaying ({@code accepts}) in a pair the rendezvous cannot relay
     * ({@code relayable} false): what stood in the relay's way too.
     */
    static Outcome.Failure symmetricNat(NatVerdict nat, int localPort, boolean accepts, boolean relayable) {
        Outcome.Failure plain = symmetricNat(nat, localPort);
        if (!accepts || relayable) {
            return plain;
        }
        return new Outcome.PunchImpossible(plain.message() + " The rendezvous cannot relay this pair either (it runs "
                + "without --relay, or the other peer runs with --no-relay, --plaintext or an older version).");
    }

    /** Why no direct path can work, in the words both peers show ("direct path impossible: ..."). */
    static String directImpossible(NatVerdict nat) {
        return "the NAT at " + nat.observed().host() + " picks a new public port for every destination ("
                + nat.observed() + " for the rendezvous, " + nat.probed() + " for its probe port)";
    }

    static String askingForRelay(String rendezvous, String why) {
        return "direct path impossible: " + why + "; asking the rendezvous at " + rendezvous + " to relay the chat "
                + "(still end-to-end encrypted: the relay sees only ciphertext)";
    }

    /** The other peer asked for the relay (or the rounds failed): the rendezvous' own words are its why. */
    static String relayedBecause(String rendezvous, String why) {
        return "the rendezvous at " + rendezvous + " relays this chat (" + Sanitizer.clean(why) + "); still "
                + "end-to-end encrypted: the relay sees only ciphertext";
    }

    static Outcome.Failure relayFailed(String rendezvous, String reason) {
        return new Outcome.RendezvousFailed("the relay at " + rendezvous + " did not connect the peers (" + reason
                + ")");
    }

    static String roundFailed(int round, String why) {
        return "round " + round + ": " + why;
    }

    static String closedDuringHandshake() {
        return "connection closed during the handshake";
    }

    /** Why the rendezvous connection ended, from {@link #reason}, or null for an orderly close. */
    static String rendezvousGone(String rendezvous, @Nullable String reason) {
        return "the rendezvous at " + rendezvous + " closed the connection"
                + (reason == null ? "" : " (" + reason + ")");
    }

    static String roundGoesOnWithout(String gone) {
        return gone + "; this round goes on without it";
    }

    static Outcome.Failure lostBeforeConnected(String gone) {
        return new Outcome.RendezvousFailed(gone + " before the peers were connected");
    }

    static Outcome.Failure lostAndRoundFailed(String gone, int round, String why) {
        return new Outcome.RendezvousFailed(gone + " during round " + round + ", which then failed too (" + why + ")");
    }

    /**
     * The rendezvous' {@code error} frame, for a first introduction to the room {@code room} (the whole code as
     * the joiner typed it; null for the creator) or for meeting again ({@code again}).
     */
    static Outcome.Failure refused(Message.Error error, @Nullable String room, int localPort, boolean again) {
        String theirs = " (rendezvous: " + error.message() + ")";
        if (again) {
            return new Outcome.RendezvousFailed("the rendezvous ended the meeting: " + error.code() + theirs);
        }
        return switch (error.code()) {
            case ErrorCode.PUNCH_FAILED -> new Outcome.PunchImpossible("hole punching failed: no connection after "
                    + "three timed rounds" + theirs + ". A NAT or firewall on the way drops the crossing SYNs. What you "
                    + "can do: forward TCP port " + localPort + " on one router to that peer and use --remote, or try "
                    + "from another network.");
            case ErrorCode.RELAY_FULL -> new Outcome.PunchImpossible("no direct path can work and the rendezvous' "
                    + "relay is full" + theirs + ": try again later, or from another network.");
            case ErrorCode.RELAY_UNAVAILABLE -> new Outcome.PunchImpossible("no direct path can work and the "
                    + "rendezvous does not relay this pair" + theirs + ".");
            case ErrorCode.UNKNOWN_ROOM -> new Outcome.RendezvousFailed("there is no room \"" + room + "\"" + theirs
                    + ": check the code for typos; rooms also end when they expire or once used. The other person "
                    + "can create a new one by running without --room.");
            case ErrorCode.ROOM_FULL -> new Outcome.RendezvousFailed("room \"" + room + "\" already has two peers"
                    + theirs + ": ask the other person for a fresh code.");
            case ErrorCode.ROOM_EXPIRED -> new Outcome.RendezvousFailed("nobody joined the room in time" + theirs
                    + ": start again and share the new code.");
            case ErrorCode.PEER_LEFT -> new Outcome.RendezvousFailed("the other peer left before the connection was "
                    + "made" + theirs + "; its own output says why (e.g. a NAT that cannot be hole-punched).");
            default -> new Outcome.RendezvousFailed("the rendezvous ended the introduction: " + error.code() + theirs);
        };
    }

    /** Why a connection to the rendezvous (or its probe port) failed, in a few words. */
    static String reason(Throwable cause) {
        if (cause instanceof ConnectTimeoutException) {
            return "no answer within " + RendezvousClient.CONNECT_TIMEOUT_MILLIS / 1000 + " s";
        }
        return AttemptOutcome.reason(cause);
    }
}
