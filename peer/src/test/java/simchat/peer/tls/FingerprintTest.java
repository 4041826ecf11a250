package simchat.peer.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FingerprintTest {

    private static final String HEX = "3f2a91c0" + "0123456789abcdef".repeat(3) + "00112233445566778899aabb".substring(0, 8);

    @Test
    void isShownAsSixteenGroupsOfFourHexDigits() {
        assertThat(new Fingerprint(HEX)).hasToString("SHA256:3f2a-91c0-0123-4567-89ab-cdef-0123-4567-89ab-cdef"
                + "-0123-4567-89ab-cdef-0011-2233");
    }

    @Test
    void parsesWhatItShowsAndWhatPeopleType() {
        Fingerprint fp = new Fingerprint(HEX);
        assertThat(Fingerprint.parse(fp.toString())).isEqualTo(fp);
        assertThat(Fingerprint.parse(fp.toString().toUpperCase())).isEqualTo(fp);
        assertThat(Fingerprint.parse(HEX)).isEqualTo(fp);
        assertThat(Fingerprint.parse(" sha256: " + fp.toString().substring(7).replace('-', ' ') + " ")).isEqualTo(fp);
        assertThat(Fingerprint.parse(HEX.replaceAll("(..)", "$1:"))).isEqualTo(fp);
    }

    @Test
    void rejectsWhatIsNotAFingerprintWithAOneLineReason() {
        assertThatThrownBy(() -> Fingerprint.parse("SHA256:3f2a-91c0")).hasMessageContaining("has 8 hex digits");
        assertThatThrownBy(() -> Fingerprint.parse("alice")).hasMessageContaining("is not a fingerprint");
    }

    @Test
    void isTheSha256OfThePublicKey() throws Exception {
        LocalIdentity identity = LocalIdentity.generate();
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                .digest(identity.certificate().getPublicKey().getEncoded());
        assertThat(identity.fingerprint().hex()).isEqualTo(java.util.HexFormat.of().formatHex(digest));
    }
}
