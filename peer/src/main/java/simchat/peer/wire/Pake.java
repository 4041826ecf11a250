package simchat.peer.wire;

import java.util.List;
import java.util.regex.Pattern;

/** Checks shared by the room-code frames: numbers are lower-case hex, bounded, and roles are named. */
final class Pake {

    /** A 3072-bit group element is 768 hex digits; anything longer is not one of ours. */
    static final int MAX_HEX_DIGITS = 1024;

    private static final Pattern HEX = Pattern.compile("[0-9a-f]{1," + MAX_HEX_DIGITS + "}");

    private Pake() {
    }

    static void checkRole(String role) {
        if (!"client".equals(role) && !"server".equals(role)) {
            throw new IllegalArgumentException("role: '" + role + "' (expected: client or server)");
        }
    }

    static void checkNumber(String name, String hex) {
        if (hex == null || !HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException(name + ": not a number (expected: 1-" + MAX_HEX_DIGITS
                    + " lower-case hex digits)");
        }
    }

    /** A Schnorr proof of knowledge: the commitment and the response. */
    static List<String> checkProof(String name, List<String> proof) {
        if (proof == null || proof.size() != 2) {
            throw new IllegalArgumentException(name + ": " + (proof == null ? "missing" : proof.size() + " numbers")
                    + " (expected: 2)");
        }
        proof.forEach(n -> checkNumber(name, n));
        return List.copyOf(proof);
    }
}
