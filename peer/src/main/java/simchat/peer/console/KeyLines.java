package simchat.peer.console;

/** The text lines about keys: ours, the peer's, and the loud warning when a known peer's key changed. */
final class KeyLines {

    private KeyLines() {
    }

    /** The line(s) for a key event, or null for any other event. */
    static String render(ChatEvent event) {
        if (event instanceof ChatEvent.OwnKey own) {
            return "* your fingerprint: " + own.fingerprint()
                    + (own.created() ? " (a new identity, saved in " : " (from ") + own.file() + ")";
        }
        if (event instanceof ChatEvent.PeerKey peer) {
            return switch (peer.trust()) {
                case "pinned" -> "* encrypted (TLS 1.3); the peer's key matches --trust " + peer.fingerprint();
                case "known" -> "* encrypted (TLS 1.3); the peer's key is the one remembered for " + peer.endpoint()
                        + ": " + peer.fingerprint();
                case "room-code" -> "* encrypted (TLS 1.3); the peer proved it knows the room code, its key is "
                        + peer.fingerprint();
                case "new" -> "* encrypted (TLS 1.3); first contact with " + peer.endpoint() + ", its key is "
                        + peer.fingerprint() + ": compare it aloud with the other person (remembered from now on)";
                default -> "* encrypted (TLS 1.3) but NOT authenticated; the peer's key is " + peer.fingerprint()
                        + ": compare it aloud with the other person";
            };
        }
        if (event instanceof ChatEvent.KeyChanged changed) {
            String bar = "@".repeat(68);
            return String.join(System.lineSeparator(),
                    bar,
                    "@    WARNING: THE KEY OF THE PEER AT " + changed.endpoint() + " HAS CHANGED!",
                    bar,
                    "Someone could be listening in right now (a man-in-the-middle attack),",
                    "or the other person has a new identity (a new machine, or a deleted identity file).",
                    "remembered key: " + changed.remembered(),
                    "presented key:  " + changed.presented(),
                    "Refusing to chat. Ask the other person, by voice, for their fingerprint. If it is the",
                    "presented key, remove the line for " + changed.endpoint() + " from " + changed.file(),
                    "or start with --trust " + changed.presented());
        }
        return null;
    }
}
