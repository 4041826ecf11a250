package simchat.peer.rendezvous;

import simchat.rendezvous.protocol.Message;

/** What the rendezvous says, as the peer needs it; called on the connection's event loop. */
interface RendezvousListener {

    void joined(Message.Joined joined);

    void peer(Message.Peer peer);

    void sync(Message.Sync sync);

    /** The rendezvous sent an error; it closes the connection next. */
    /** The rendezvous relays this pair; {@code relay} holds our token. */
    void relay(Message.Relay relay);

    void error(Message.Error error);

    /** The connection ended; {@code cause} is null for an orderly close. */
    void closed(Throwable cause);
}
