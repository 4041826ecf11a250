package simchat.peer.tls;

import static java.util.Objects.requireNonNull;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.agreement.jpake.JPAKEParticipant;
import org.bouncycastle.crypto.agreement.jpake.JPAKEPrimeOrderGroups;
import org.bouncycastle.crypto.agreement.jpake.JPAKERound1Payload;
import org.bouncycastle.crypto.agreement.jpake.JPAKERound2Payload;
import org.bouncycastle.crypto.digests.SHA256Digest;
import simchat.peer.wire.Json;
import simchat.peer.wire.PakeConfirm;
import simchat.peer.wire.PakeRound1;
import simchat.peer.wire.PakeRound2;

/**
 * One side of the room-code check, without any networking: J-PAKE rounds 1 and 2 with the room code as
 * the password (BouncyCastle, the 3072-bit NIST group), then key confirmation. Each side's MAC covers the
 * two TLS keys as that side saw them, the TLS roles and every J-PAKE frame, keyed by the J-PAKE result, so
 * the MACs agree only if both sides know the code and sit in the same TLS session: a relay in the middle
 * holds a TLS session with each side, with a key of its own in each, and no code.
 *
 * <p>Call {@link #round1()}, {@link #round2}, {@link #confirm} and {@link #verify} in this order.
 */
final class RoomCodeExchange {

    private static final byte[] KEY_LABEL = "simchat room-code key v1".getBytes(StandardCharsets.US_ASCII);
    private static final String TRANSCRIPT_LABEL = "simchat room-code transcript v1";

    private final String role;
    private final String theirRole;
    private final Fingerprint clientKey;
    private final Fingerprint serverKey;
    private final JPAKEParticipant participant;
    private PakeRound1 ours1;
    private PakeRound1 theirs1;
    private PakeRound2 ours2;
    private PakeRound2 theirs2;
    private byte[] macKey;

    /**
     * {@code code} is the normalised room code; {@code client} is our TLS role; {@code ours} and
     * {@code theirs} are our key and the key the peer presented in this TLS session.
     */
    RoomCodeExchange(String code, boolean client, Fingerprint ours, Fingerprint theirs, SecureRandom random) {
        requireNonNull(code, "code");
        if (code.isEmpty()) {
            throw new IllegalArgumentException("code: empty (expected: the room code)");
        }
        this.role = client ? "client" : "server";
        this.theirRole = client ? "server" : "client";
        this.clientKey = requireNonNull(client ? ours : theirs, client ? "ours" : "theirs");
        this.serverKey = requireNonNull(client ? theirs : ours, client ? "theirs" : "ours");
        char[] password = code.toCharArray();
        // The TLS role is the participant id: J-PAKE refuses a peer with our own id (a relay that made
        // both sides TLS clients).
        this.participant = new JPAKEParticipant(role, password, JPAKEPrimeOrderGroups.NIST_3072, new SHA256Digest(),
                requireNonNull(random, "random"));
        Arrays.fill(password, '\0');
    }

    /** Our first round. */
    PakeRound1 round1() {
        JPAKERound1Payload p = participant.createRound1PayloadToSend();
        ours1 = new PakeRound1(role, hex(p.getGx1()), hex(p.getGx2()), hex(p.getKnowledgeProofForX1()),
                hex(p.getKnowledgeProofForX2()));
        return ours1;
    }

    /** Checks the peer's first round (its proofs, that it is the other role) and returns our second. */
    PakeRound2 round2(PakeRound1 theirs) throws CryptoException {
        requireRole(theirs.role());
        participant.validateRound1PayloadReceived(new JPAKERound1Payload(theirs.role(), number(theirs.gx1()),
                number(theirs.gx2()), numbers(theirs.proof1()), numbers(theirs.proof2())));
        theirs1 = theirs;
        JPAKERound2Payload p = participant.createRound2PayloadToSend();
        ours2 = new PakeRound2(role, hex(p.getA()), hex(p.getKnowledgeProofForX2s()));
        return ours2;
    }

    /** Checks the peer's second round, derives the shared key and returns our confirmation. */
    PakeConfirm confirm(PakeRound2 theirs) throws CryptoException {
        requireRole(theirs.role());
        participant.validateRound2PayloadReceived(new JPAKERound2Payload(theirs.role(), number(theirs.a()),
                numbers(theirs.proof())));
        theirs2 = theirs;
        byte[] keyingMaterial = participant.calculateKeyingMaterial().toByteArray();
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(KEY_LABEL);
            macKey = sha256.digest(keyingMaterial);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        } finally {
            Arrays.fill(keyingMaterial, (byte) 0);
        }
        return new PakeConfirm(HexFormat.of().formatHex(mac(role)));
    }

    /** Whether the peer's confirmation is the one a peer with the same code and the same view would send. */
    boolean verify(PakeConfirm theirs) {
        if (macKey == null) {
            throw new IllegalStateException("verify before confirm");
        }
        return MessageDigest.isEqual(mac(theirRole), HexFormat.of().parseHex(theirs.mac()));
    }

    /** The MAC the side in {@code sender}'s role sends over everything this side saw. */
    private byte[] mac(String sender) {
        boolean weAreClient = role.equals("client");
        String transcript = String.join("\n", TRANSCRIPT_LABEL,
                "sender " + sender,
                "client key " + clientKey.hex(),
                "server key " + serverKey.hex(),
                Json.format(weAreClient ? ours1 : theirs1),
                Json.format(weAreClient ? theirs1 : ours1),
                Json.format(weAreClient ? ours2 : theirs2),
                Json.format(weAreClient ? theirs2 : ours2));
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(macKey, "HmacSHA256"));
            return hmac.doFinal(transcript.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }

    private void requireRole(String theirs) throws CryptoException {
        if (!theirs.equals(theirRole)) {
            throw new CryptoException("the peer claims our own TLS role " + theirs);
        }
    }

    private static String hex(BigInteger n) {
        return n.toString(16);
    }

    private static List<String> hex(BigInteger[] proof) {
        return Arrays.stream(proof).map(RoomCodeExchange::hex).toList();
    }

    private static BigInteger number(String hex) {
        return new BigInteger(hex, 16);
    }

    private static BigInteger[] numbers(List<String> hex) {
        return hex.stream().map(RoomCodeExchange::number).toArray(BigInteger[]::new);
    }
}
