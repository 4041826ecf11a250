package simchat.rendezvous.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a peer's dial attempts in one round came to. */
public enum Outcome {
    /** A connection to the other peer completed; the peer keeps it. */
    @JsonProperty("connected")
    CONNECTED,
    /** No candidate connected within the peer's dial window. */
    @JsonProperty("failed")
    FAILED
}
