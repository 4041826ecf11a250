package simchat.peer.rendezvous;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The code people read to each other, e.g. {@code 7-amber-falcon-4821}: the rendezvous' room
 * ({@code 7-amber-falcon}) and four digits that the creator's peer adds and that only the two peers ever
 * see. The whole code is the password of the room-code check, so the rendezvous, which learns only the
 * room, cannot pass that check and sit in the middle.
 */
public record InviteCode(String room, String secret) {

    private static final Pattern SECRET = Pattern.compile("[0-9]{4}");

    public InviteCode {
        requireNonNull(room, "room");
        requireNonNull(secret, "secret");
        if (room.isEmpty() || !SECRET.matcher(secret).matches()) {
            throw new IllegalArgumentException("room: '" + room + "', secret: '" + secret
                    + "' (expected: a room and four digits)");
        }
    }

    /** A fresh code for the room the rendezvous just made. */
    public static InviteCode create(String room, SecureRandom random) {
        return new InviteCode(room, String.format("%04d", random.nextInt(10_000)));
    }

    /** Splits a normalised code as typed by the person who joins; the four digits come last. */
    public static InviteCode parse(String code) {
        int dash = code.lastIndexOf('-');
        if (dash <= 0 || !SECRET.matcher(code.substring(dash + 1)).matches()) {
            throw new IllegalArgumentException("'" + code + "' lacks the four digits at its end (expected: the whole"
                    + " code the other person was shown, like 7-amber-falcon-4821)");
        }
        return new InviteCode(code.substring(0, dash), code.substring(dash + 1));
    }

    /**
     * The name of the room where two peers meet again after losing their connection: a hash of this code
     * and both hello nonces, which only the two peers know (the nonces travel inside their encrypted chat).
     * Both compute the same name whichever side they are on.
     */
    public String placeToMeetAgain(String ourNonce, String theirNonce) {
        boolean oursFirst = ourNonce.compareTo(theirNonce) <= 0;
        String material = "simchat: meet again\n" + this + "\n" + (oursFirst ? ourNonce : theirNonce) + "\n"
                + (oursFirst ? theirNonce : ourNonce);
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(material.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return room + "-" + secret;
    }
}
