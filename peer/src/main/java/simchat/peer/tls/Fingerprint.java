package simchat.peer.tls;

import static java.util.Objects.requireNonNull;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The SHA-256 of a peer's public key (its DER SubjectPublicKeyInfo), written for people to compare aloud:
 * {@code SHA256:3f2a-91c0-…}, sixteen groups of four hex digits. The same value as
 * {@code openssl x509 -pubkey -noout | openssl pkey -pubin -outform der | sha256sum}.
 */
public record Fingerprint(String hex) {

    private static final String PREFIX = "SHA256:";
    private static final int HEX_DIGITS = 64;

    public Fingerprint {
        requireNonNull(hex, "hex");
        if (!hex.matches("[0-9a-f]{" + HEX_DIGITS + "}")) {
            throw new IllegalArgumentException("hex: '" + hex + "' (expected: 64 lower-case hex digits)");
        }
    }

    /** The fingerprint of a public key. */
    public static Fingerprint of(PublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return new Fingerprint(HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * Parses a fingerprint as typed: the {@code SHA256:} prefix is optional, case does not matter, and
     * separators ({@code - : .} and spaces) may sit anywhere.
     */
    public static Fingerprint parse(String text) {
        String digits = text.strip();
        if (digits.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            digits = digits.substring(PREFIX.length());
        }
        digits = digits.replaceAll("[-:.\\s]", "").toLowerCase(Locale.ROOT);
        if (!digits.matches("[0-9a-f]*")) {
            throw new IllegalArgumentException("'" + text + "' is not a fingerprint (expected: SHA256: and 64 hex digits,"
                    + " e.g. as the other peer shows it)");
        }
        if (digits.length() != HEX_DIGITS) {
            throw new IllegalArgumentException("'" + text + "' has " + digits.length() + " hex digits (expected: "
                    + HEX_DIGITS + ", e.g. as the other peer shows it)");
        }
        return new Fingerprint(digits);
    }

    /** {@code SHA256:} and sixteen dash-separated groups of four hex digits. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(PREFIX);
        for (int i = 0; i < HEX_DIGITS; i += 4) {
            if (i > 0) {
                out.append('-');
            }
            out.append(hex, i, i + 4);
        }
        return out.toString();
    }
}
