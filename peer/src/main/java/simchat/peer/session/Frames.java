package simchat.peer.session;

import java.util.Locale;

import simchat.peer.wire.Message;

/** Small helpers for messages about frames. */
final class Frames {

    private Frames() {
    }

    static String typeOf(Object msg) {
        return msg instanceof Message ? msg.getClass().getSimpleName().toLowerCase(Locale.ROOT) : String.valueOf(msg);
    }
}
