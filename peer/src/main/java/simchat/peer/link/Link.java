package simchat.peer.link;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

import io.netty.channel.Channel;

/**
 * A connected channel to the other peer, as a {@link Connector} found it: not reading yet, before any
 * hello. {@code attempts} and {@code elapsed} say what finding it took; {@code lostBeforeHello} is the
 * connector's own next step should the link die before the peer said hello.
 */
public record Link(Channel channel, int attempts, Duration elapsed, Runnable lostBeforeHello) {

    public Link {
        requireNonNull(channel, "channel");
        requireNonNull(elapsed, "elapsed");
        requireNonNull(lostBeforeHello, "lostBeforeHello");
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts: " + attempts + " (expected: 0 or more)");
        }
    }
}
