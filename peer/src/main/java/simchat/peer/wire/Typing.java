package simchat.peer.wire;

import com.fasterxml.jackson.annotation.JsonAutoDetect;

/**
 * The sender's user is typing a line ({@link Features#TYPING}): sent at most every few seconds while the input
 * line is not empty, never with any of its text. The receiver shows it until a message arrives or a few seconds
 * pass without another.
 */
@JsonAutoDetect
public record Typing() implements Message {
}
