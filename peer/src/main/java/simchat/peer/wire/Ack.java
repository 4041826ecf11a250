package simchat.peer.wire;

/** Confirms that the chat message with this sequence number was received and shown. */
public record Ack(long seq) implements Message {

    public Ack {
        if (seq < 1) {
            throw new IllegalArgumentException("seq: " + seq + " (expected: >= 1)");
        }
    }
}
