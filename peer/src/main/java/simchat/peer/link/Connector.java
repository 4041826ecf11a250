package simchat.peer.link;

import simchat.peer.console.ChatEvent;

/**
 * A way to get connected, authenticated links to the other peer (a direct simultaneous open, a rendezvous'
 * introduction, later IPv6 candidates or a relay). One chat session consumes its links without knowing which
 * connector it has: it tells the connector when a link's hello is through, asks it for the next link when one
 * is lost, and stops it when the chat ends. All methods run on the chat's event loop.
 */
public interface Connector {

    /** Starts looking for the first link; every link found goes to {@code links}, and so does the end of hope. */
    void start(LinkSink links);

    /** The peer said hello on {@code link}: whatever this connector still owes for it (a result, a note) is due. */
    void helloCompleted(Link link);

    /** The link in use died without a bye ({@code lost} says to whom and why): look for the next one. */
    void next(ChatEvent.ConnectionLost lost);

    /** The chat is over: stop looking, close whatever is still half done. */
    void stop();

    /** Why no first link came within {@code within} (e.g. {@code "30 s"}), in one line for the user. */
    String notConnectedWithin(String within);
}
