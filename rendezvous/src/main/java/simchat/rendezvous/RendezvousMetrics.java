package simchat.rendezvous;

/** Hooks for measuring the rendezvous from the inside; the benchmark uses them. */
interface RendezvousMetrics {

    /** Measures nothing. */
    RendezvousMetrics NONE = new RendezvousMetrics() {
    };

    /**
     * A room got its second peer and both peers have been sent the other's endpoints.
     *
     * @param nanos from reading the second {@code join} to both {@code peer} frames being written
     */
    default void paired(long nanos) {
    }
}
