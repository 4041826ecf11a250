package simchat.rendezvous.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Which side of a pair a peer is, so that later layers (e.g. TLS) agree on who initiates although
 * both sides dialled.
 */
public enum Role {
    /** The peer that created the room. */
    @JsonProperty("initiator")
    INITIATOR,
    /** The peer that joined an existing room. */
    @JsonProperty("responder")
    RESPONDER
}
