package simchat.peer.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The status line's account of our lines: queued, pending, all delivered. */
class DeliveryStatusTest {

    private static final ChatEvent.Connected CONNECTED = new ChatEvent.Connected("bob", "b:1", "a:1", 1, 1);

    @Test
    void countsLinesFromSentUntilDelivered() {
        DeliveryStatus status = new DeliveryStatus(0);
        assertThat(status.update(new ChatEvent.Sent(1, "1", 0, "hi", null))).isEqualTo("not connected: 1 line queued");
        assertThat(status.update(CONNECTED)).isEqualTo("… 1 line pending (not yet shown by bob)");
        assertThat(status.update(new ChatEvent.Sent(2, "2", 0, "more", null)))
                .isEqualTo("… 2 lines pending (not yet shown by bob)");
        assertThat(status.update(new ChatEvent.Delivered(1))).isEqualTo("… 1 line pending (not yet shown by bob)");
        assertThat(status.update(new ChatEvent.Delivered(2))).isEqualTo("✓ all delivered to bob");
    }

    @Test
    void countsWhatAnEarlierRunLeftAndSaysWhenTheLinkIsLost() {
        DeliveryStatus status = new DeliveryStatus(3);
        status.update(CONNECTED);
        assertThat(status.update(new ChatEvent.ConnectionLost("bob", "reset"))).isEqualTo("not connected: 3 lines queued");
    }

    @Test
    void otherEventsLeaveItAlone() {
        assertThat(new DeliveryStatus(0).update(new ChatEvent.Status("x"))).isNull();
    }
}
