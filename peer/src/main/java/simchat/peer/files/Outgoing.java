package simchat.peer.files;

import java.util.HashSet;
import java.util.Set;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.util.ReferenceCountUtil;
import simchat.peer.console.ChatEvent;
import simchat.peer.wire.FileBegin;
import simchat.peer.wire.FileCancel;
import simchat.peer.wire.FileData;
import simchat.peer.wire.FileDone;
import simchat.peer.wire.FileEnd;
import simchat.peer.wire.FileOffer;
import simchat.peer.wire.ProtocolException;

/**
 * A transfer we offer, on the event loop: offered, then (accepted) its frames are read on the file thread and
 * written while the channel is writable and the receiver's window has room, until the receiver's verdict on every
 * file is in. Chat lines never wait behind more than the channel's write buffer of file data.
 */
final class Outgoing {

    /**
     * Data bytes the receiver lets us have unacknowledged (acknowledged once written to its disk): its memory bound
     * for this transfer, and the most file data (in socket buffers on both sides) a chat line can find ahead of it.
     * On a loaded machine (load 20-27 on two cores) chat lines during a TLS transfer waited a median 128 ms with a
     * 4 MiB window and 65 ms with this one, at the same throughput.
     */
    static final long WINDOW = 1024 * 1024;
    /** Reads on the file thread at once for one transfer. */
    static final int MAX_READS = 4;

    enum State { WAITING, OFFERED, SENDING, DONE, FAILED }

    private final Transfers transfers;
    final int n;
    final int id;
    final Source source;
    State state = State.WAITING;
    private SourceReader reader;
    private long sent;
    private long acked;
    private int reads;
    private boolean idle;
    private int retriesAsked;
    private final Set<Integer> retried = new HashSet<>();
    private final Set<Integer> settled = new HashSet<>();
    private final long[] began;
    private final String[] hashes;
    private int ok;
    private int failed;
    private long okBytes;
    private long startNanos;
    String current;
    private final long total;

    Outgoing(Transfers transfers, int n, int id, Source source) {
        this.transfers = transfers;
        this.n = n;
        this.id = id;
        this.source = source;
        this.began = new long[source.entries().size()];
        this.hashes = new String[source.entries().size()];
        this.total = source.bytes();
        this.current = source.name();
    }

    long total() {
        return total;
    }

    /** Data bytes the receiver confirmed written. */
    long acked() {
        return acked;
    }

    void offer() {
        state = State.OFFERED;
        transfers.write(new FileOffer(id, source.name(), source.folder(), source.entries().size(), total));
    }

    void accepted() {
        if (state == State.FAILED) {
            return;
        }
        if (state != State.OFFERED) {
            throw new ProtocolException("file-accept for transfer " + id + ", which is not waiting for an answer");
        }
        state = State.SENDING;
        startNanos = System.nanoTime();
        reader = new SourceReader(id, source);
        transfers.event(new FileEvents.Accepted(n, source.name() + (source.folder() ? "/" : ""), true, null));
        settleIfComplete();
        pump();
    }

    void rejected(String reason) {
        if (state == State.FAILED) {
            return;
        }
        if (state != State.OFFERED) {
            throw new ProtocolException("file-reject for transfer " + id + ", which is not waiting for an answer");
        }
        end(State.FAILED, new FileEvents.Failed(n, source.name(), null,
                "the other peer declined it" + (reason == null ? "" : " (" + reason + ")")));
    }

    /** Reads more while the channel and the window have room. */
    void pump() {
        Channel channel = transfers.channel();
        while (state == State.SENDING && !idle && channel != null && channel.isWritable() && reads < MAX_READS
                && sent + (long) (reads + 1) * SourceReader.CHUNK <= acked + WINDOW) {
            reads++;
            ByteBufAllocator alloc = channel.alloc();
            SourceReader r = reader;
            transfers.io().execute(() -> {
                Object frame;
                try {
                    frame = r.next(alloc);
                } catch (RuntimeException e) {
                    frame = e;
                }
                Object read = frame;
                int seen = r.retries();
                transfers.onLoop(() -> deliver(read, seen), read);
            });
        }
    }

    private void deliver(Object frame, int retriesSeen) {
        reads--;
        if (state != State.SENDING) {
            ReferenceCountUtil.release(frame);
            return;
        }
        if (frame == null) {
            // A stale "nothing left" from before a resend was asked for does not stop the reading.
            idle = retriesSeen == retriesAsked;
            pump();
            return;
        }
        if (frame instanceof RuntimeException e) {
            cancel("internal error: " + e, true);
            return;
        }
        if (frame instanceof FileData data) {
            sent += data.length();
        } else if (frame instanceof FileBegin begin) {
            current = begin.path();
            began[begin.index()] = System.nanoTime();
        } else if (frame instanceof FileEnd end && end.problem() == null) {
            hashes[end.index()] = end.sha256();
        } else if (frame instanceof FileEnd end) {
            transfers.event(new FileEvents.Note("not sending " + source.entries().get(end.index()).path() + ": "
                    + end.problem()));
        }
        transfers.write(frame);
        pump();
    }

    void acknowledged(long bytes) {
        if (state != State.SENDING) {
            return;
        }
        if (bytes > sent) {
            throw new ProtocolException("file-ack for " + bytes + " bytes of transfer " + id + ", but only " + sent
                    + " were sent");
        }
        acked = Math.max(acked, bytes);
        pump();
    }

    void done(FileDone done) {
        if (state != State.SENDING) {
            return;
        }
        if (done.index() >= source.entries().size() || settled.contains(done.index())) {
            throw new ProtocolException("file-done for file " + done.index() + " of transfer " + id
                    + ", which is not waiting for a verdict");
        }
        Source.Entry entry = source.entries().get(done.index());
        switch (done.status()) {
            case FileDone.OK -> {
                settled.add(done.index());
                ok++;
                okBytes += entry.size();
                transfers.event(new FileEvents.Sent(n, source.name(), entry.path(), entry.size(), hashes[done.index()],
                        (System.nanoTime() - began[done.index()]) / 1_000_000, source.folder()));
            }
            case FileDone.MISMATCH -> {
                if (retried.add(done.index())) {
                    transfers.event(new FileEvents.Note(entry.path() + " arrived damaged (SHA-256 mismatch at the"
                            + " other peer); sending it once more"));
                    retriesAsked++;
                    SourceReader r = reader;
                    transfers.io().execute(() -> r.retry(done.index()));
                    idle = false;
                    pump();
                } else {
                    settled.add(done.index());
                    failed++;
                    transfers.event(new FileEvents.Failed(n, source.name(), entry.path(),
                            "its SHA-256 did not match at the other peer, twice"));
                }
            }
            default -> {
                settled.add(done.index());
                failed++;
                transfers.event(new FileEvents.Failed(n, source.name(), entry.path(),
                        "the other peer could not keep it: " + done.reason()));
            }
        }
        settleIfComplete();
    }

    private void settleIfComplete() {
        if (ok + failed < source.entries().size()) {
            return;
        }
        long millis = (System.nanoTime() - startNanos) / 1_000_000;
        end(failed == 0 ? State.DONE : State.FAILED, source.folder()
                ? new FileEvents.FolderDone(n, source.name(), true, null, source.entries().size(), failed, okBytes, millis)
                : null);
    }

    /** Ends the transfer; {@code tell}: say so to the other peer. */
    void cancel(String reason, boolean tell) {
        if (state == State.DONE || state == State.FAILED) {
            return;
        }
        if (tell && state != State.WAITING) {
            transfers.write(new FileCancel(id, true, reason));
        }
        end(State.FAILED, new FileEvents.Failed(n, source.name(), null, reason));
    }

    private void end(State to, ChatEvent event) {
        state = to;
        if (event != null) {
            transfers.event(event);
        }
        SourceReader r = reader;
        if (r != null) {
            transfers.io().execute(r::close);
        }
        transfers.finished();
    }

    boolean active() {
        return state == State.WAITING || state == State.OFFERED || state == State.SENDING;
    }

    String describe() {
        String what = FileEvents.describe(source.name(), source.folder(), source.entries().size(), total);
        return n + "  send     " + what + "  " + switch (state) {
            case WAITING -> "waiting for the connection";
            case OFFERED -> "offered, waiting for an answer";
            case SENDING -> Sizes.bytes(acked) + " of " + Sizes.bytes(total) + " confirmed";
            case DONE -> "sent, SHA-256 verified";
            case FAILED -> "failed or cancelled";
        };
    }
}
