package simchat.peer.wire;

import java.util.List;

/**
 * The second J-PAKE round of the room-code check: {@code A = (g^(x1+x3+x4))^(x2*s)} mixed with the room
 * code {@code s}, and a proof of knowledge of {@code x2*s}. Numbers are lower-case hex.
 */
public record PakeRound2(String role, String a, List<String> proof) implements Message {

    public PakeRound2 {
        Pake.checkRole(role);
        Pake.checkNumber("a", a);
        proof = Pake.checkProof("proof", proof);
    }
}
