package simchat.peer.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.LineBasedFrameDecoder;

/** The file frames: JSON records, the binary data frame, and the splitter that takes it out of the line stream. */
class FileFramesTest {

    private static final String HASH = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private final FileDataSplitter splitter = new FileDataSplitter();
    private final EmbeddedChannel channel = new EmbeddedChannel(splitter,
            new LineBasedFrameDecoder(Limits.MAX_FRAME_BYTES, true, true),
            MessageDecoder.INSTANCE, MessageEncoder.INSTANCE, FileDataEncoder.INSTANCE);

    @AfterEach
    void finish() {
        channel.finishAndReleaseAll();
    }

    @Test
    void everyFileFrameSurvivesARoundTrip() {
        Message[] frames = {
                new FileOffer(1, "holiday", true, 214, 1_300_000_000L),
                new FileOffer(2, "report.pdf", false, 1, 0),
                new FileAccept(1),
                new FileReject(1, "not enough space"),
                new FileBegin(1, 0, "holiday/2024/a.jpg", 123, 0644),
                new FileEnd(1, 0, HASH, null),
                new FileEnd(1, 1, null, "it changed since it was offered"),
                new FileAck(1, 4_194_304),
                new FileDone(1, 0, FileDone.OK, null),
                new FileDone(1, 0, FileDone.MISMATCH, "SHA-256 differs"),
                new FileCancel(1, true, "cancelled by the sender"),
                new Hello(1, "alice", "00ff", "epoch", List.of("files", "typing")),
        };
        for (Message frame : frames) {
            channel.writeOutbound(frame);
            channel.writeInbound((ByteBuf) channel.readOutbound());
            assertThat((Message) channel.readInbound()).isEqualTo(frame);
        }
        assertFalse(channel.finish());
    }

    @Test
    void aHelloWithoutFeaturesSupportsNoneAndUnknownFeaturesAreIgnored() {
        Hello old = (Hello) Json.parse("{\"type\":\"hello\",\"version\":1,\"name\":\"old\",\"nonce\":\"1\"}");
        assertThat(old.features()).isNull();
        assertThat(old.supports(Features.FILES)).isFalse();
        assertThat(Json.format(old)).doesNotContain("features");
        Hello newer = (Hello) Json.parse("{\"type\":\"hello\",\"version\":1,\"name\":\"n\",\"nonce\":\"1\","
                + "\"features\":[\"teleport\",\"files\"]}");
        assertThat(newer.supports(Features.FILES)).isTrue();
    }

    @Test
    void invalidFieldsAreProtocolErrors() {
        assertThatThrownBy(() -> Json.parse("{\"type\":\"file-end\",\"id\":1,\"index\":0,\"sha256\":\"abc\"}"))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("64 lowercase hex digits");
        assertThatThrownBy(() -> Json.parse("{\"type\":\"file-begin\",\"id\":1,\"index\":0,\"path\":\"a\","
                + "\"size\":1,\"mode\":2541}")).isInstanceOf(ProtocolException.class).hasMessageContaining("mode: 4755");
        assertThatThrownBy(() -> Json.parse("{\"type\":\"file-offer\",\"id\":0,\"name\":\"a\",\"folder\":false,"
                + "\"files\":1,\"bytes\":1}")).isInstanceOf(ProtocolException.class).hasMessageContaining("id: 0");
        assertThatThrownBy(() -> Json.parse("{\"type\":\"file-offer\",\"id\":1,\"name\":\"a\",\"folder\":false,"
                + "\"files\":2,\"bytes\":1}")).isInstanceOf(ProtocolException.class).hasMessageContaining("files: 2");
        assertThatThrownBy(() -> Json.parse("{\"type\":\"file-done\",\"id\":1,\"index\":0,\"status\":\"maybe\"}"))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("status: maybe");
    }

    @Test
    void aDataFrameIsItsHeaderThenItsBytesUntouched() {
        channel.writeOutbound(new FileData(3, 65536, Unpooled.wrappedBuffer(new byte[] {1, 2, 3})));
        ByteBuf wire = Unpooled.buffer();
        for (Object part; (part = channel.readOutbound()) != null; ) {
            wire.writeBytes((ByteBuf) part);
            ((ByteBuf) part).release();
        }
        assertThat(wire.readByte()).isEqualTo(FileData.MARKER);
        assertThat(wire.readInt()).isEqualTo(3);
        assertThat(wire.readLong()).isEqualTo(65536);
        assertThat(wire.readInt()).isEqualTo(3);
        assertThat(wire.readByte()).isEqualTo((byte) 1);
        assertThat(wire.readableBytes()).isEqualTo(2);
        wire.release();
    }

    @Test
    void onceEnabledDataFramesAndLinesAreTakenApartWhateverTheFragmentation() {
        splitter.enable();
        ByteBuf stream = Unpooled.buffer();
        stream.writeBytes(line(new Chat("c1", 1, 5, "before")));
        stream.writeBytes(dataFrame(1, 0, "\n{\"type\":\"bye\"}\n\0"));
        stream.writeBytes(line(new FileEnd(1, 0, HASH, null)));
        stream.writeBytes(dataFrame(1, 17, ""));
        stream.writeBytes(line(new Ack(1)));
        byte[] bytes = new byte[stream.readableBytes()];
        stream.readBytes(bytes);
        stream.release();
        for (int size : new int[] {1, 2, 7, 16, 17, 18, 1000}) {
            for (int i = 0; i < bytes.length; i += size) {
                channel.writeInbound(Unpooled.wrappedBuffer(bytes, i, Math.min(size, bytes.length - i)));
            }
            List<Object> read = readAll();
            assertThat(read).as("fragments of " + size + " bytes").hasSize(5);
            assertThat(read.get(0)).isEqualTo(new Chat("c1", 1, 5, "before"));
            FileData data = (FileData) read.get(1);
            assertThat(data.id()).isEqualTo(1);
            assertThat(data.content().toString(StandardCharsets.UTF_8)).isEqualTo("\n{\"type\":\"bye\"}\n\0");
            assertThat(read.get(2)).isEqualTo(new FileEnd(1, 0, HASH, null));
            assertThat(((FileData) read.get(3)).length()).isZero();
            assertThat(read.get(4)).isEqualTo(new Ack(1));
            read.forEach(io.netty.util.ReferenceCountUtil::release);
        }
        assertFalse(channel.finish());
    }

    @Test
    void untilEnabledAZeroByteIsJustAMalformedLine() {
        channel.writeInbound(Unpooled.wrappedBuffer(dataFrame(1, 0, "abc")));
        assertThatThrownBy(() -> channel.writeInbound(Unpooled.copiedBuffer("\n", StandardCharsets.UTF_8)))
                .isInstanceOf(DecoderException.class).hasRootCauseInstanceOf(ProtocolException.class);
    }

    @Test
    void aDataHeaderLongerThanTheLimitIsRefusedBeforeItsBytesArrive() {
        splitter.enable();
        ByteBuf header = Unpooled.buffer().writeByte(0).writeInt(1).writeLong(0).writeInt(FileData.MAX_BYTES + 1);
        assertThatThrownBy(() -> channel.writeInbound(header))
                .isInstanceOf(DecoderException.class).hasRootCauseMessage("bad file data header (id 1, offset 0, length "
                        + (FileData.MAX_BYTES + 1) + ")");
    }

    private List<Object> readAll() {
        List<Object> read = new ArrayList<>();
        for (Object m; (m = channel.readInbound()) != null; ) {
            read.add(m);
        }
        return read;
    }

    private static byte[] line(Message message) {
        return (Json.format(message) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] dataFrame(int id, long offset, String payload) {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        ByteBuf frame = Unpooled.buffer().writeByte(0).writeInt(id).writeLong(offset).writeInt(bytes.length)
                .writeBytes(bytes);
        byte[] out = new byte[frame.readableBytes()];
        frame.readBytes(out);
        frame.release();
        return out;
    }
}
