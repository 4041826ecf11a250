package simchat.rendezvous;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import simchat.rendezvous.protocol.Endpoint;
import simchat.rendezvous.protocol.ErrorCode;
import simchat.rendezvous.protocol.Message;
import simchat.rendezvous.protocol.Nullable;
import simchat.rendezvous.protocol.Role;
import simchat.rendezvous.protocol.RoomCode;

/**
 * All open rooms by code. Every method runs on the one event loop that serves all connections, so
 * the rooms need no locks.
 */
final class Rooms {

    private static final Logger LOG = LoggerFactory.getLogger(Rooms.class);

    private final Map<String, Room> byCode = new HashMap<>();
    private final RoomCodes codes;
    private final EventExecutor executor;
    private final RendezvousConfig config;
    private final RendezvousMetrics metrics;
    @Nullable private Integer probePort;
    @Nullable private final Relay relay;

    Rooms(RoomCodes codes, EventExecutor executor, RendezvousConfig config, RendezvousMetrics metrics) {
        this.codes = requireNonNull(codes, "codes");
        this.executor = requireNonNull(executor, "executor");
        this.config = requireNonNull(config, "config");
        this.metrics = requireNonNull(metrics, "metrics");
        this.relay = config.relay() == null ? null : new Relay(config.relay(), executor);
    }

    /** The relay, or null when this rendezvous does not relay. */
    @Nullable
    Relay relay() {
        return relay;
    }

    /**
     * Handles a {@code join}: creates a room or pairs with the waiting peer, and answers.
     *
     * @param readNanos {@link System#nanoTime()} when the frame was read, for the pairing metric
     * @return the new member and its room, or {@code null} if the join was refused with an error
     */
    @Nullable
    Member join(Channel channel, Endpoint observed, Message.Join join, long readNanos) {
        if (join.room() == null) {
            return create(codes.next(byCode::containsKey), channel, observed, join.privateEndpoint(), join.name(),
                    join.acceptsRelay());
        }
        String code = RoomCode.normalize(join.room());
        Room room = byCode.get(code);
        if (room == null) {
            fail(channel, ErrorCode.UNKNOWN_ROOM, "no room \"" + code + "\" (mistyped, expired or finished?)");
            return null;
        }
        return enter(room, channel, observed, join.privateEndpoint(), join.name(), join.acceptsRelay(), readNanos);
    }

    /**
     * Handles a {@code meet}: the first of two peers that meet again creates the room under the name they
     * share, the second enters it.
     *
     * @return the new member and its room, or {@code null} if the room was full
     */
    @Nullable
    Member meet(Channel channel, Endpoint observed, Message.Meet meet, long readNanos) {
        Room room = byCode.get(meet.room());
        return room == null
                ? create(meet.room(), channel, observed, meet.privateEndpoint(), meet.name(), meet.acceptsRelay())
                : enter(room, channel, observed, meet.privateEndpoint(), meet.name(), meet.acceptsRelay(), readNanos);
    }

    private Member create(String code, Channel channel, Endpoint observed, Endpoint privateEndpoint,
                          @Nullable String name, boolean acceptsRelay) {
        Member member = new Member(channel, observed, privateEndpoint, name, Role.INITIATOR, acceptsRelay);
        Room room = new Room(code, member, this, executor, config);
        byCode.put(code, room);
        member.room = room;
        member.send(new Message.Joined(code, observed, Role.INITIATOR, probePort()));
        LOG.debug("room {}: created by {}", code, member);
        return member;
    }

    @Nullable
    private Member enter(Room room, Channel channel, Endpoint observed, Endpoint privateEndpoint,
                         @Nullable String name, boolean acceptsRelay, long readNanos) {
        if (room.full()) {
            fail(channel, ErrorCode.ROOM_FULL, "room \"" + room.code + "\" already has two peers");
            return null;
        }
        Member member = new Member(channel, observed, privateEndpoint, name, Role.RESPONDER, acceptsRelay);
        member.room = room;
        member.send(new Message.Joined(room.code, observed, Role.RESPONDER, probePort()));
        room.pair(member, readNanos, metrics);
        return member;
    }

    /** Open rooms, waiting or pairing. */
    int size() {
        return byCode.size();
    }

    /** Ends every room, e.g. at shutdown. */
    void clear() {
        new ArrayList<>(byCode.values()).forEach(Room::finish);
    }

    void remove(Room room) {
        byCode.remove(room.code, room);
    }

    /** The probe port to announce in {@code joined}, once it is bound. */
    void probePort(@Nullable Integer port) {
        probePort = port;
    }

    @Nullable
    private Integer probePort() {
        return probePort;
    }

    private static void fail(Channel channel, String code, String message) {
        SessionHandler.fail(channel, code, message);
    }
}
