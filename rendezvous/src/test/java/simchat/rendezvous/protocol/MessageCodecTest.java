package simchat.rendezvous.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageCodecTest {

    private static final Endpoint LAN = new Endpoint("192.168.1.20", 8000);
    private final List<Throwable> errors = new ArrayList<>();

    private EmbeddedChannel channel() {
        EmbeddedChannel channel = new EmbeddedChannel();
        Protocol.addCodec(channel.pipeline());
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                errors.add(cause);
            }
        });
        return channel;
    }

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }

    @Test
    void decodesAFrameThatArrivesInPieces() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(bytes("{\"type\":\"pi"));
        assertThat((Object) ch.readInbound()).isNull();
        ch.writeInbound(bytes("ng\",\"seq\":4"));
        ch.writeInbound(bytes("2}\n"));
        assertThat((Object) ch.readInbound()).isEqualTo(new Message.Ping(42));
        assertThat(errors).isEmpty();
        assertFalse(ch.finish());
    }

    @Test
    void decodesSeveralFramesFromOneRead() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(bytes("{\"type\":\"pong\",\"seq\":1}\r\n{\"type\":\"probe\"}\n{\"type\":\"pong\",\"seq\":2}\n"));
        assertThat((Object) ch.readInbound()).isEqualTo(new Message.Pong(1));
        assertThat((Object) ch.readInbound()).isEqualTo(new Message.Probe());
        assertThat((Object) ch.readInbound()).isEqualTo(new Message.Pong(2));
        assertFalse(ch.finish());
    }

    @Test
    void skipsBlankLines() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(bytes("\n  \r\n{\"type\":\"pong\",\"seq\":1}\n"));
        assertThat((Object) ch.readInbound()).isEqualTo(new Message.Pong(1));
        assertThat(errors).isEmpty();
        assertFalse(ch.finish());
    }

    @Test
    void rejectsAFrameLongerThanTheLimitBeforeItsEnd() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(bytes("{\"type\":\"join\",\"name\":\"" + "x".repeat(Protocol.MAX_FRAME_BYTES)));
        assertThat(errors).singleElement()
                .isInstanceOfSatisfying(ProtocolException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.FRAME_TOO_LONG);
                    assertThat(e).hasMessage("frame longer than 8192 bytes");
                });
        assertThat((Object) ch.readInbound()).isNull();
        ch.finishAndReleaseAll();
    }

    @Test
    void rejectsBytesThatAreNotUtf8() {
        EmbeddedChannel ch = channel();
        ByteBuf frame = Unpooled.buffer();
        frame.writeBytes("{\"type\":\"join\",\"name\":\"".getBytes(StandardCharsets.US_ASCII));
        frame.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28}); // a lead byte without its continuation
        frame.writeBytes("\"}\n".getBytes(StandardCharsets.US_ASCII));
        ch.writeInbound(frame);
        assertThat(errors).singleElement()
                .isInstanceOfSatisfying(ProtocolException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
                    assertThat(e).hasMessage("frame is not valid UTF-8");
                });
        assertFalse(ch.finish());
    }

    @Test
    void rejectsGarbage() {
        assertBadRequest("hello there", "not a valid message");
    }

    @Test
    void rejectsAnUnknownType() {
        assertBadRequest("{\"type\":\"teleport\"}", "unknown type \"teleport\"");
    }

    @Test
    void rejectsAFrameWithoutType() {
        assertBadRequest("{\"seq\":1}", "missing \"type\"");
    }

    @Test
    void rejectsTrailingContent() {
        assertBadRequest("{\"type\":\"pong\",\"seq\":1} {}", "not a valid message");
    }

    @Test
    void rejectsAStringWhereANumberBelongs() {
        assertBadRequest("{\"type\":\"pong\",\"seq\":\"1\"}", "\"seq\": missing or of the wrong type");
    }

    @Test
    void namesTheFieldThatIsMissing() {
        assertBadRequest("{\"type\":\"join\",\"private\":{\"host\":\"10.0.0.1\"}}",
                "\"private.port\": missing or of the wrong type");
    }

    @Test
    void rejectsDuplicateFields() {
        assertBadRequest("{\"type\":\"pong\",\"seq\":1,\"seq\":2}", "not a valid message");
    }

    @Test
    void rejectsAnInvalidFieldWithTheFieldsOwnReason() {
        assertBadRequest("{\"type\":\"join\",\"private\":{\"host\":\"10.0.0.1\",\"port\":0}}",
                "port: 0 (expected: 1-65535)");
    }

    @Test
    void rejectsAHostNameWhereAnAddressBelongs() {
        assertBadRequest("{\"type\":\"join\",\"private\":{\"host\":\"example.org\",\"port\":8000}}",
                "host: \"example.org\" (expected: an IP address)");
    }

    @Test
    void rejectsAMissingRequiredField() {
        assertBadRequest("{\"type\":\"join\",\"room\":\"7-amber-falcon\"}", "missing \"private\"");
    }

    @Test
    void ignoresUnknownFieldsForForwardCompatibility() {
        assertThat(Protocol.decode("{\"type\":\"pong\",\"seq\":3,\"future\":true}"))
                .isEqualTo(new Message.Pong(3));
    }

    @Test
    void encodesOneLineOfJsonPerMessageAndLeavesOutAbsentFields() {
        EmbeddedChannel ch = channel();
        ch.writeOutbound(new Message.Join(null, LAN, "line\nbreak"));
        ByteBuf out = ch.readOutbound();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(
                "{\"type\":\"join\",\"private\":{\"host\":\"192.168.1.20\",\"port\":8000},\"name\":\"line\\nbreak\"}\n");
        out.release();
        assertFalse(ch.finish());
    }

    @Test
    void roundTripsEveryMessageType() {
        Endpoint pub = new Endpoint("203.0.113.7", 41000);
        List<Message> all = List.of(
                new Message.Join("7-amber-falcon", LAN, "alice"),
                new Message.Meet("3f9c2a4e1b7d08c65a2e9f1d4c3b7a60", LAN, "bob"),
                new Message.Joined("7-amber-falcon", pub, Role.INITIATOR, 7001),
                new Message.Peer(pub, LAN, Role.RESPONDER, null),
                new Message.Ping(1),
                new Message.Pong(1),
                new Message.Sync(2, 12, 24.5),
                new Message.Result(2, Outcome.CONNECTED, pub, null),
                new Message.Probe(),
                new Message.Observed(pub),
                new Message.Error(ErrorCode.ROOM_FULL, "room full"),
                new Message.RelayRequest("your NAT picks a new port per destination"),
                new Message.Relay("0123456789abcdef0123456789abcdef", "no connection after 3 rounds"),
                new Message.Splice("0123456789abcdef0123456789abcdef"),
                new Message.Spliced());
        for (Message message : all) {
            assertThat(Protocol.decode(Protocol.encode(message))).as(Protocol.encode(message)).isEqualTo(message);
        }
        assertThat(Message.class.getPermittedSubclasses()).as("every type is in the round trip").hasSize(all.size());
    }

    @Test
    void whetherAPeerAcceptsRelayingIsAnOptionalFieldThatOlderPeersLeaveOut() {
        assertThat(Protocol.encode(new Message.Join(null, LAN, null))).doesNotContain("relay");
        assertThat(Protocol.encode(new Message.Join(null, LAN, null, true))).contains("\"relay\":true");
        assertThat(((Message.Meet) Protocol.decode("{\"type\":\"meet\",\"room\":\"3f9c2a4e1b7d08c65a2e9f1d4c3b7a60\","
                + "\"private\":{\"host\":\"10.0.0.5\",\"port\":8000},\"relay\":true}")).acceptsRelay()).isTrue();
        assertThat(((Message.Peer) Protocol.decode(Protocol.encode(new Message.Peer(LAN, LAN, Role.INITIATOR, null))))
                .relayable()).isFalse();
    }

    @Test
    void aRelayTokenIsThirtyTwoLowercaseHexDigits() {
        assertThatThrownBy(() -> new Message.Splice("0123")).hasMessage(
                "token: \"0123\" (expected: 32 lowercase hex digits)");
        assertBadRequest("{\"type\":\"splice\",\"token\":\"0123456789ABCDEF0123456789ABCDEF\"}", "");
    }

    @Test
    void namesFieldsThatAreJavaKeywordsAsTheProtocolDoes() {
        assertThat(Protocol.encode(new Message.Peer(LAN, LAN, Role.INITIATOR, null)))
                .contains("\"public\":", "\"private\":", "\"role\":\"initiator\"");
    }

    @Test
    void constructorsCheckTheirArguments() {
        assertThatThrownBy(() -> new Endpoint("10.0.0.1", 65536)).hasMessage("port: 65536 (expected: 1-65535)");
        assertThatThrownBy(() -> new Message.Sync(4, 0, 1)).hasMessage("round: 4 (expected: 1-3)");
        assertThatThrownBy(() -> new Message.Join("", LAN, null)).hasMessage("room: \"\" (expected: 1-64 characters)");
    }

    private void assertBadRequest(String line, String reason) {
        EmbeddedChannel ch = channel();
        ch.writeInbound(bytes(line + "\n"));
        assertThat(errors).as(line).singleElement()
                .isInstanceOfSatisfying(ProtocolException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
                    assertThat(e.getMessage()).startsWith(reason);
                });
        assertThat((Object) ch.readInbound()).isNull();
        assertFalse(ch.finish());
    }
}
