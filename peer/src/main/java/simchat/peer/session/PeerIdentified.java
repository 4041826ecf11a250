package simchat.peer.session;

import simchat.peer.wire.Hello;

/** Fired once the other side's hello has been checked. */
public record PeerIdentified(Hello hello) {
}
