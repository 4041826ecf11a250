package simchat.peer.commands;

import java.util.function.Consumer;

import simchat.peer.console.ChatEvent;

/**
 * What {@code /info} needs to know and only the chat's events tell: our fingerprint, the peer's and why it is
 * trusted, and the path of the current link (direct, or the hole-punched public or private candidate). Fed every
 * event, from any thread.
 */
public final class ConnectionFacts implements Consumer<ChatEvent> {

    private volatile String ownFingerprint;
    private volatile String peerFingerprint;
    private volatile String trust;
    private volatile String path;
    /** The candidate of a hole punch reported before its link's {@link ChatEvent.Connected}. */
    private volatile ChatEvent.Punched punched;

    @Override
    public void accept(ChatEvent event) {
        if (event instanceof ChatEvent.OwnKey own) {
            ownFingerprint = own.fingerprint();
        } else if (event instanceof ChatEvent.PeerKey peer) {
            peerFingerprint = peer.fingerprint();
            trust = peer.trust();
        } else if (event instanceof ChatEvent.Punched p) {
            punched = p;
        } else if (event instanceof ChatEvent.Connected) {
            ChatEvent.Punched via = punched;
            punched = null;
            path = via == null ? "direct (simultaneous open)"
                    : "hole-punched, " + via.candidate() + " candidate " + via.via() + " (round " + via.round() + ")";
        } else if (event instanceof ChatEvent.ConnectionLost) {
            path = null;
        }
    }

    public String ownFingerprint() {
        return ownFingerprint;
    }

    public String peerFingerprint() {
        return peerFingerprint;
    }

    /** {@code pinned}, {@code known}, {@code new}, {@code room-code} or {@code unverified}; null when plaintext. */
    public String trust() {
        return trust;
    }

    /** How the current link was made, or null while there is none. */
    public String path() {
        return path;
    }
}
