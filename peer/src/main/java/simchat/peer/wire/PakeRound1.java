package simchat.peer.wire;

import java.util.List;

/**
 * The first J-PAKE round of the room-code check (rendezvous mode, inside TLS): the sender's TLS
 * {@code role} as its participant id, {@code g^x1}, {@code g^x2} and a proof of knowledge for each exponent.
 * Numbers are lower-case hex.
 */
public record PakeRound1(String role, String gx1, String gx2, List<String> proof1, List<String> proof2)
        implements Message {

    public PakeRound1 {
        Pake.checkRole(role);
        Pake.checkNumber("gx1", gx1);
        Pake.checkNumber("gx2", gx2);
        proof1 = Pake.checkProof("proof1", proof1);
        proof2 = Pake.checkProof("proof2", proof2);
    }
}
