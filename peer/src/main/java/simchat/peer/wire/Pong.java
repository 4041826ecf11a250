package simchat.peer.wire;

/** Answer to a {@link Ping}, echoing its {@code time} so the sender can measure the round trip. */
public record Pong(long time) implements Message {
}
