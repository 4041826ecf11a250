package simchat.peer.wire;

/** Heartbeat; the receiver answers with a {@link Pong} carrying the same {@code time}. */
public record Ping(long time) implements Message {
}
