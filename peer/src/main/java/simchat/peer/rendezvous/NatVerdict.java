package simchat.peer.rendezvous;

import static java.util.Objects.requireNonNull;

import simchat.rendezvous.protocol.Endpoint;

/**
 * What the NAT check tells about hole punching from here: the public endpoint the rendezvous saw ({@code
 * observed}) and the one its probe port saw from the same local port ({@code probed}). A pure value.
 *
 * @param observed the public endpoint the rendezvous' main port saw
 * @param probed   the public endpoint its probe port saw
 */
record NatVerdict(Endpoint observed, Endpoint probed) {

    /** Which of the other peer's candidates a hole punch can reach. */
    enum Reach {
        /** The NAT keeps one mapping per local port (or there is none): every candidate is worth dialling. */
        EVERY_CANDIDATE,
        /** A new port per destination, but the other peer shares our public address: its private endpoint only. */
        PRIVATE_ONLY,
        /** A new port per destination, and the other peer is elsewhere: it cannot know which port to dial. */
        NONE
    }

    NatVerdict {
        requireNonNull(observed, "observed");
        requireNonNull(probed, "probed");
    }

    /**
     * True when both rendezvous ports saw the same endpoint: the NAT keeps one mapping for every destination
     * (endpoint-independent), which is what a hole punch needs; false for a symmetric or port-randomising NAT.
     */
    boolean consistent() {
        return observed.equals(probed);
    }

    /** What a hole punch toward a peer whose public endpoint is {@code peerPublic} can reach. */
    Reach reach(Endpoint peerPublic) {
        if (consistent()) {
            return Reach.EVERY_CANDIDATE;
        }
        // Same public address: most likely the same NAT, where the private endpoints connect directly.
        return peerPublic.host().equals(observed.host()) ? Reach.PRIVATE_ONLY : Reach.NONE;
    }

    /** True when the NAT (if any) kept the local port for its public mapping, as the rendezvous saw it. */
    static boolean portPreserved(Endpoint observed, int localPort) {
        return observed.port() == localPort;
    }

    /**
     * True when something between us and the rendezvous rewrote our endpoint (a NAT): false on loopback, a LAN
     * rendezvous or a public address, where "your NAT kept the local port" would describe a NAT that is not there.
     */
    static boolean translated(Endpoint observed, Endpoint ownPrivate) {
        // Compared as addresses: "::1" and "0:0:0:0:0:0:0:1" are one.
        return observed.port() != ownPrivate.port()
                || !java.util.Arrays.equals(io.netty.util.NetUtil.createByteArrayFromIpAddressString(observed.host()),
                io.netty.util.NetUtil.createByteArrayFromIpAddressString(ownPrivate.host()));
    }
}
