package simchat.peer.session;

import simchat.peer.wire.Hello;

/** Fired once the other side's hello has been checked. */
record PeerIdentified(Hello hello) {
}
