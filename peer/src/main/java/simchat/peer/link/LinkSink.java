package simchat.peer.link;

import simchat.peer.Outcome;

/** Where a {@link Connector} hands the links it finds: the chat's pipeline, which the connector knows no more of. */
public interface LinkSink {

    /** A new link to the other peer: the chat takes it over (pipeline, hello, then the chat itself). */
    void offer(Link link);

    /** No link can come any more (the port is taken, the rendezvous failed, time is up): the chat ends so. */
    void noMoreLinks(Outcome.Failure why);
}
