package simchat.peer.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.List;

import org.bouncycastle.crypto.CryptoException;
import org.junit.jupiter.api.Test;

import simchat.peer.wire.PakeConfirm;
import simchat.peer.wire.PakeRound1;
import simchat.peer.wire.PakeRound2;

/** The room-code check's cryptography alone: J-PAKE with the code, bound to the keys each side saw. */
class RoomCodeExchangeTest {

    private static final Fingerprint ALICE = LocalIdentity.generate().fingerprint();
    private static final Fingerprint BOB = LocalIdentity.generate().fingerprint();
    private static final Fingerprint MALLORY = LocalIdentity.generate().fingerprint();
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void twoSidesWithTheSameCodeAndTheSameKeysConfirmEachOther() throws Exception {
        var alice = new RoomCodeExchange("7-amber-falcon", true, ALICE, BOB, RANDOM);
        var bob = new RoomCodeExchange("7-amber-falcon", false, BOB, ALICE, RANDOM);

        Outcome outcome = run(alice, bob);

        assertThat(outcome.aliceAccepts).as("alice accepts bob's confirmation").isTrue();
        assertThat(outcome.bobAccepts).as("bob accepts alice's confirmation").isTrue();
    }

    @Test
    void aDifferentCodeFailsOnBothSides() throws Exception {
        var alice = new RoomCodeExchange("7-amber-falcon", true, ALICE, BOB, RANDOM);
        var bob = new RoomCodeExchange("7-amber-falcons", false, BOB, ALICE, RANDOM);

        Outcome outcome = run(alice, bob);

        assertThat(outcome.aliceAccepts).isFalse();
        assertThat(outcome.bobAccepts).isFalse();
    }

    @Test
    void theSameCodeFailsWhenTheSidesSawDifferentTlsKeys() throws Exception {
        // What a relay in the middle causes: alice talks TLS with mallory's key, bob too, even if the
        // relay passes every J-PAKE frame on untouched.
        var alice = new RoomCodeExchange("7-amber-falcon", true, ALICE, MALLORY, RANDOM);
        var bob = new RoomCodeExchange("7-amber-falcon", false, BOB, MALLORY, RANDOM);

        Outcome outcome = run(alice, bob);

        assertThat(outcome.aliceAccepts).isFalse();
        assertThat(outcome.bobAccepts).isFalse();
    }

    @Test
    void aPeerClaimingOurOwnRoleIsRefused() {
        var alice = new RoomCodeExchange("7-amber-falcon", true, ALICE, BOB, RANDOM);
        var twin = new RoomCodeExchange("7-amber-falcon", true, BOB, ALICE, RANDOM);
        alice.round1();

        assertThatThrownBy(() -> alice.round2(twin.round1())).isInstanceOf(CryptoException.class);
    }

    @Test
    void aRound1WithForgedProofsIsRefused() {
        var alice = new RoomCodeExchange("7-amber-falcon", true, ALICE, BOB, RANDOM);
        var bob = new RoomCodeExchange("7-amber-falcon", false, BOB, ALICE, RANDOM);
        alice.round1();
        PakeRound1 honest = bob.round1();
        PakeRound1 forged = new PakeRound1("server", honest.gx1(), honest.gx2(), honest.proof1(),
                List.of(honest.proof2().get(0), "1"));

        assertThatThrownBy(() -> alice.round2(forged)).isInstanceOf(CryptoException.class);
    }

    @Test
    void aRound1WithTheTrivialGroupElementIsRefused() {
        var alice = new RoomCodeExchange("7-amber-falcon", true, ALICE, BOB, RANDOM);
        var bob = new RoomCodeExchange("7-amber-falcon", false, BOB, ALICE, RANDOM);
        alice.round1();
        PakeRound1 honest = bob.round1();
        PakeRound1 trivial = new PakeRound1("server", honest.gx1(), "1", honest.proof1(), honest.proof2());

        assertThatThrownBy(() -> alice.round2(trivial)).isInstanceOf(CryptoException.class);
    }

    @Test
    void theConfirmationsDependOnTheRoleSoOneCannotBeReflected() throws Exception {
        var alice = new RoomCodeExchange("7-amber-falcon", true, ALICE, BOB, RANDOM);
        var bob = new RoomCodeExchange("7-amber-falcon", false, BOB, ALICE, RANDOM);
        PakeRound1 a1 = alice.round1();
        PakeRound1 b1 = bob.round1();
        PakeRound2 a2 = alice.round2(b1);
        PakeRound2 b2 = bob.round2(a1);
        PakeConfirm fromAlice = alice.confirm(b2);
        bob.confirm(a2);

        assertThat(alice.verify(fromAlice)).as("alice's own confirmation sent back to her").isFalse();
    }

    private record Outcome(boolean aliceAccepts, boolean bobAccepts) {
    }

    private static Outcome run(RoomCodeExchange alice, RoomCodeExchange bob) throws CryptoException {
        PakeRound1 a1 = alice.round1();
        PakeRound1 b1 = bob.round1();
        PakeRound2 a2 = alice.round2(b1);
        PakeRound2 b2 = bob.round2(a1);
        PakeConfirm a3 = alice.confirm(b2);
        PakeConfirm b3 = bob.confirm(a2);
        return new Outcome(alice.verify(b3), bob.verify(a3));
    }
}
