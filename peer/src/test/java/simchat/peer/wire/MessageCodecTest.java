package simchat.peer.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;

class MessageCodecTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(
            new LineBasedFrameDecoder(Limits.MAX_FRAME_BYTES, true, true),
            MessageDecoder.INSTANCE, MessageEncoder.INSTANCE);

    @AfterEach
    void finish() {
        channel.finishAndReleaseAll();
    }

    @Test
    void everyMessageTypeSurvivesARoundTrip() {
        Message[] messages = {
                new Hello(1, "alice@a", "00ff00ff00ff00ff"),
                new Hello(1, "alice@a", "00ff00ff00ff00ff", "8d3c7f5e-0b1a-4c2e-9f6d-1a2b3c4d5e6f"),
                new Chat("id-1", 1, 1_764_190_000_000L, "hello, bob"),
                new Chat("id-2", 2, 1_764_190_000_000L, "the first part of a long line", true),
                new Hello(1, "alice@a", "00ff00ff00ff00ff", "8d3c", List.of(Features.TYPING, Features.PARTS)),
                new Typing(),
                new Chat("id-2", 2, 1_764_190_000_000L, "waves", Chat.ACTION),
                new Ack(1),
                new Ping(42),
                new Pong(42),
                new Bye(null),
                new Bye("interrupted"),
                new PakeRound1("client", "1f", "2e", List.of("3d", "4c"), List.of("5b", "6a")),
                new PakeRound2("server", "ab", List.of("cd", "ef")),
                new PakeConfirm("0123456789abcdef".repeat(4)),
        };
        for (Message message : messages) {
            assertThat(channel.writeOutbound(message)).isTrue();
            ByteBuf encoded = channel.readOutbound();
            channel.writeInbound(encoded);
            assertThat((Message) channel.readInbound()).isEqualTo(message);
        }
        assertFalse(channel.finish());
    }

    @Test
    void encodesOneJsonObjectPerLine() {
        channel.writeOutbound(new Chat("id-1", 7, 1000, "two\nlines"));
        ByteBuf encoded = channel.readOutbound();
        String text = encoded.toString(StandardCharsets.UTF_8);
        encoded.release();
        assertThat(text).isEqualTo("{\"type\":\"chat\",\"id\":\"id-1\",\"seq\":7,\"time\":1000,\"text\":\"two\\nlines\"}\n");
    }

    @Test
    void aHelloWithoutAnEpochIsAStreamOfItsOwnPerRun() {
        feed("{\"type\":\"hello\",\"version\":1,\"name\":\"old\",\"nonce\":\"abcd\"}\n");
        Hello hello = channel.readInbound();
        assertThat(hello.epoch()).isNull();
        assertThat(hello.stream()).isEqualTo("nonce:abcd");
    }

    @Test
    void aHelloWithoutAnEpochIsEncodedWithoutTheField() {
        channel.writeOutbound(new Hello(1, "alice", "abcd"));
        ByteBuf encoded = channel.readOutbound();
        String text = encoded.toString(StandardCharsets.UTF_8);
        encoded.release();
        assertThat(text).isEqualTo("{\"type\":\"hello\",\"version\":1,\"name\":\"alice\",\"nonce\":\"abcd\"}\n");
    }

    @Test
    void aHelloAnnouncesItsFeaturesAndAnOlderOneNone() {
        channel.writeOutbound(new Hello(1, "alice", "abcd", null, List.of("typing", "parts")));
        assertThat(encodedText()).isEqualTo(
                "{\"type\":\"hello\",\"version\":1,\"name\":\"alice\",\"nonce\":\"abcd\",\"features\":[\"typing\",\"parts\"]}\n");

        feed("{\"type\":\"hello\",\"version\":1,\"name\":\"old\",\"nonce\":\"abcd\"}\n");
        Hello old = channel.readInbound();
        assertThat(old.features()).isNull();
        assertThat(old.supports(Features.TYPING)).isFalse();
    }

    @Test
    void ignoresFeaturesItDoesNotKnow() {
        feed("{\"type\":\"hello\",\"version\":1,\"name\":\"new\",\"nonce\":\"abcd\",\"features\":[\"teleport\",\"typing\"]}\n");
        Hello hello = channel.readInbound();
        assertThat(hello.supports(Features.TYPING)).isTrue();
        assertThat(hello.supports(Features.PARTS)).isFalse();
    }

    @Test
    void rejectsFeaturesThatAreNotShortNames() {
        assertThatThrownBy(() -> feed("{\"type\":\"hello\",\"version\":1,\"name\":\"x\",\"nonce\":\"ab\",\"features\":[\"\"]}\n"))
                .cause().hasMessageContaining("features: a name of 0 characters");
        assertThatThrownBy(() -> feed("{\"type\":\"hello\",\"version\":1,\"name\":\"x\",\"nonce\":\"ab\",\"features\":"
                + "[" + "\"f\",".repeat(Features.MAX_FEATURES) + "\"f\"]}\n"))
                .cause().hasMessageContaining("features: 65 names");
    }

    @Test
    void aTypingFrameCarriesNothingButItsType() {
        channel.writeOutbound(new Typing());
        assertThat(encodedText()).isEqualTo("{\"type\":\"typing\"}\n");
    }

    @Test
    void aChatSaysMoreOnlyWhenAnotherPartFollowsAndAnOlderOneIsWhole() {
        channel.writeOutbound(new Chat("id-1", 1, 1000, "part", true));
        assertThat(encodedText()).endsWith(",\"text\":\"part\",\"more\":true}\n");
        channel.writeOutbound(new Chat("id-2", 2, 1000, "last", false));
        assertThat(encodedText()).endsWith(",\"text\":\"last\"}\n");

        feed("{\"type\":\"chat\",\"id\":\"x\",\"seq\":1,\"time\":1,\"text\":\"t\"}\n");
        assertThat(((Chat) channel.readInbound()).continued()).isFalse();
        feed("{\"type\":\"chat\",\"id\":\"x\",\"seq\":1,\"time\":1,\"text\":\"t\",\"more\":false}\n");
        assertThat((Object) channel.readInbound()).isEqualTo(new Chat("x", 1, 1, "t"));
    }

    @Test
    void assemblesAFrameThatArrivesInPieces() {
        feed("{\"type\":\"ack\",");
        assertThat((Object) channel.readInbound()).isNull();
        feed("\"seq\":3}");
        assertThat((Object) channel.readInbound()).isNull();
        feed("\n{\"type\":\"ping\",\"time\":5}\n");
        assertThat((Object) channel.readInbound()).isEqualTo(new Ack(3));
        assertThat((Object) channel.readInbound()).isEqualTo(new Ping(5));
    }

    @Test
    void ignoresUnknownPropertiesForForwardCompatibility() {
        feed("{\"type\":\"ack\",\"seq\":2,\"added-in-a-later-version\":true}\n");
        assertThat((Object) channel.readInbound()).isEqualTo(new Ack(2));
    }

    @Test
    void rejectsAnOversizedFrame() {
        String huge = "x".repeat(Limits.MAX_FRAME_BYTES + 1);
        assertThatThrownBy(() -> feed(huge)).isInstanceOf(TooLongFrameException.class);
    }

    @Test
    void rejectsGarbage() {
        assertThatThrownBy(() -> feed("this is not json\n"))
                .isInstanceOf(DecoderException.class)
                .hasCauseInstanceOf(ProtocolException.class)
                .cause().hasMessageStartingWith("malformed frame");
    }

    @Test
    void rejectsTrailingGarbageAfterAnObject() {
        assertThatThrownBy(() -> feed("{\"type\":\"ping\",\"time\":1} {}\n"))
                .hasCauseInstanceOf(ProtocolException.class);
    }

    @Test
    void rejectsBytesThatAreNotUtf8() {
        ByteBuf bad = Unpooled.wrappedBuffer(new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}', '\n'});
        assertThatThrownBy(() -> channel.writeInbound(bad))
                .cause().isInstanceOf(ProtocolException.class).hasMessage("frame is not valid UTF-8");
    }

    @Test
    void rejectsAnUnknownMessageType() {
        assertThatThrownBy(() -> feed("{\"type\":\"teleport\"}\n"))
                .cause().hasMessage("unknown message type \"teleport\"");
    }

    @Test
    void rejectsJsonThatIsNotAnObject() {
        assertThatThrownBy(() -> feed("null\n")).cause().hasMessage("malformed frame: not a JSON object");
        assertThatThrownBy(() -> feed("[1,2]\n")).hasCauseInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> feed("\"text\"\n")).hasCauseInstanceOf(ProtocolException.class);
    }

    @Test
    void rejectsAFrameWithoutType() {
        assertThatThrownBy(() -> feed("{\"seq\":1}\n")).cause().hasMessage("frame without a \"type\"");
    }

    @Test
    void rejectsMissingOrInvalidFields() {
        assertThatThrownBy(() -> feed("{\"type\":\"ack\"}\n")).hasCauseInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> feed("{\"type\":\"chat\",\"id\":\"x\",\"seq\":0,\"time\":1,\"text\":\"t\"}\n"))
                .cause().hasMessageContaining("seq: 0");
        assertThatThrownBy(() -> feed("{\"type\":\"chat\",\"id\":\"x\",\"seq\":1,\"time\":1}\n"))
                .hasCauseInstanceOf(ProtocolException.class);
    }

    @Test
    void rejectsRoomCodeFramesThatAreNotWellFormed() {
        assertThatThrownBy(() -> feed("{\"type\":\"pake2\",\"role\":\"mallory\",\"a\":\"1\",\"proof\":[\"1\",\"1\"]}\n"))
                .cause().hasMessage("invalid frame: role: 'mallory' (expected: client or server)");
        assertThatThrownBy(() -> feed("{\"type\":\"pake2\",\"role\":\"client\",\"a\":\"1\",\"proof\":[\"1\"]}\n"))
                .cause().hasMessage("invalid frame: proof: 1 numbers (expected: 2)");
        assertThatThrownBy(() -> feed("{\"type\":\"pake2\",\"role\":\"client\",\"a\":\"-1\",\"proof\":[\"1\",\"1\"]}\n"))
                .cause().hasMessageStartingWith("invalid frame: a: not a number");
        assertThatThrownBy(() -> feed("{\"type\":\"pake2\",\"role\":\"client\",\"a\":\"" + "f".repeat(1025)
                + "\",\"proof\":[\"1\",\"1\"]}\n")).cause().hasMessageStartingWith("invalid frame: a: not a number");
        assertThatThrownBy(() -> feed("{\"type\":\"pake-confirm\",\"mac\":\"00\"}\n"))
                .cause().hasMessageStartingWith("invalid frame: mac: not an HMAC-SHA256");
    }

    @Test
    void keepsDecodingAfterAnEmptyLine() {
        assertThatThrownBy(() -> feed("\n")).hasCauseInstanceOf(ProtocolException.class);
    }

    private String encodedText() {
        ByteBuf encoded = channel.readOutbound();
        String text = encoded.toString(StandardCharsets.UTF_8);
        encoded.release();
        return text;
    }

    private void feed(String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    @Test
    void anActionIsAChatWithAKindThatOlderPeersSkipAsAnUnknownField() {
        assertThat(Json.format(new Chat("i", 1, 5, "waves", Chat.ACTION)))
                .isEqualTo("{\"type\":\"chat\",\"id\":\"i\",\"seq\":1,\"time\":5,\"text\":\"waves\",\"kind\":\"action\"}");
        assertThat(Json.format(new Chat("i", 1, 5, "hi"))).as("an ordinary line has no kind").doesNotContain("kind");
        assertThat(Json.parse("{\"type\":\"chat\",\"id\":\"i\",\"seq\":1,\"time\":5,\"text\":\"hi\"}"))
                .isEqualTo(new Chat("i", 1, 5, "hi"));
        assertThat(((Chat) Json.parse("{\"type\":\"chat\",\"id\":\"i\",\"seq\":1,\"time\":5,\"text\":\"x\","
                + "\"kind\":\"sticker\"}")).action()).as("a kind of a later revision").isFalse();
    }
}
