package simchat.peer.wire;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A frame of the peer-to-peer protocol: one JSON object per line, its kind named by {@code "type"}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Hello.class, name = "hello"),
        @JsonSubTypes.Type(value = Chat.class, name = "chat"),
        @JsonSubTypes.Type(value = Ack.class, name = "ack"),
        @JsonSubTypes.Type(value = Ping.class, name = "ping"),
        @JsonSubTypes.Type(value = Pong.class, name = "pong"),
        @JsonSubTypes.Type(value = Bye.class, name = "bye"),
        @JsonSubTypes.Type(value = Typing.class, name = "typing"),
        @JsonSubTypes.Type(value = StartTls.class, name = "starttls"),
        @JsonSubTypes.Type(value = PakeRound1.class, name = "pake1"),
        @JsonSubTypes.Type(value = PakeRound2.class, name = "pake2"),
        @JsonSubTypes.Type(value = PakeConfirm.class, name = "pake-confirm"),
        @JsonSubTypes.Type(value = FileOffer.class, name = "file-offer"),
        @JsonSubTypes.Type(value = FileAccept.class, name = "file-accept"),
        @JsonSubTypes.Type(value = FileReject.class, name = "file-reject"),
        @JsonSubTypes.Type(value = FileBegin.class, name = "file-begin"),
        @JsonSubTypes.Type(value = FileEnd.class, name = "file-end"),
        @JsonSubTypes.Type(value = FileAck.class, name = "file-ack"),
        @JsonSubTypes.Type(value = FileDone.class, name = "file-done"),
        @JsonSubTypes.Type(value = FileCancel.class, name = "file-cancel"),
})
public sealed interface Message permits Hello, Chat, Ack, Ping, Pong, Bye, Typing, StartTls, PakeRound1, PakeRound2,
        PakeConfirm, FileFrame {
}
