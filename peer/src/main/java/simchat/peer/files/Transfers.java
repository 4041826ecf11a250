package simchat.peer.files;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.ReferenceCountUtil;
import simchat.peer.console.ChatEvent;
import simchat.peer.wire.FileAccept;
import simchat.peer.wire.FileAck;
import simchat.peer.wire.FileBegin;
import simchat.peer.wire.FileCancel;
import simchat.peer.wire.FileData;
import simchat.peer.wire.FileDone;
import simchat.peer.wire.FileEnd;
import simchat.peer.wire.FileFrame;
import simchat.peer.wire.FileOffer;
import simchat.peer.wire.FileReject;
import simchat.peer.wire.Features;
import simchat.peer.wire.Hello;
import simchat.peer.wire.ProtocolException;

/**
 * The file transfers of one chat, in both directions, on the chat's event loop: numbers them for the user
 * ({@code /transfers}), routes the file frames of the current link to them, offers what waited for a connection,
 * and reports progress. A transfer does not survive a lost link (it fails and can be sent again). Disk work runs on
 * {@link FileIo}; every method runs on {@link #loop}.
 */
public final class Transfers {

    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 512 * 1024);

    private final EventLoop loop;
    private final Consumer<ChatEvent> events;
    private final FileIo io;
    private final Path downloads;
    private final boolean acceptAll;
    private final Duration progressEvery;
    private final List<Object> numbered = new ArrayList<>();
    private final Map<Integer, Outgoing> outgoing = new HashMap<>();
    private final Map<Integer, Incoming> incoming = new HashMap<>();
    private final Map<Object, long[]> lastProgress = new HashMap<>();
    private int scanning;
    private Channel channel;
    private boolean peerReceives;
    private String peerName = "the other peer";
    private Runnable whenIdle = () -> { };
    private ScheduledFuture<?> ticker;

    /**
     * {@code downloads}: where received files go; {@code acceptAll}: accept every offer without asking;
     * {@code progressEvery}: how often a running transfer reports its progress.
     */
    public Transfers(EventLoop loop, Consumer<ChatEvent> events, FileIo io, Path downloads, boolean acceptAll,
                     Duration progressEvery) {
        this.loop = requireNonNull(loop, "loop");
        this.events = requireNonNull(events, "events");
        this.io = requireNonNull(io, "io");
        this.downloads = requireNonNull(downloads, "downloads").toAbsolutePath().normalize();
        this.acceptAll = acceptAll;
        this.progressEvery = requireNonNull(progressEvery, "progressEvery");
    }

    /** Runs whenever the last running transfer ended (the chat may say bye then). */
    public void whenIdle(Runnable whenIdle) {
        this.whenIdle = requireNonNull(whenIdle, "whenIdle");
    }

    public EventLoop loop() {
        return loop;
    }

    /**
     * Whether a transfer is under way, or offered by us and not yet answered, or still being looked at: the chat
     * does not say bye then. Offers from the other peer that nobody answered do not count. A pure receiver (accepting
     * every offer, sending nothing) is busy until the other peer leaves: {@code --accept-files < /dev/null} receives
     * what the other peer sends, and ends when it says bye.
     */
    public boolean busy() {
        return scanning > 0 || (acceptAll && outgoing.isEmpty())
                || outgoing.values().stream().anyMatch(Outgoing::active)
                || incoming.values().stream().anyMatch(Incoming::active);
    }

    /** Offers {@code path} (a file or a folder) once it has been looked at; at once if connected. */
    public void send(Path path) {
        scanning++;
        io.execute(() -> {
            Source source;
            String problem = null;
            try {
                source = Source.scan(path);
            } catch (IOException | SecurityException e) {
                source = null;
                problem = "cannot send " + e.getMessage();
            }
            Source found = source;
            String why = problem;
            onLoop(() -> scanned(found, why), null);
        });
    }

    private void scanned(Source source, String problem) {
        scanning--;
        if (source == null) {
            event(new FileEvents.Note(problem));
            finished();
            return;
        }
        int n = numbered.size() + 1;
        Outgoing out = new Outgoing(this, n, outgoing.size() + 1, source);
        numbered.add(out);
        outgoing.put(out.id, out);
        event(new FileEvents.OfferSent(n, source.name(), source.folder(), source.entries().size(), out.total(),
                source.skipped()));
        if (channel != null) {
            offerOrRefuse(out);
        }
    }

    private void offerOrRefuse(Outgoing out) {
        if (peerReceives) {
            out.offer();
        } else {
            out.cancel("the other peer cannot receive files (its simchat is older)", false);
        }
    }

    public void accept(int n) {
        if (lookUp(n) instanceof Incoming in) {
            in.accept(downloads);
        }
    }

    public void reject(int n) {
        if (lookUp(n) instanceof Incoming in) {
            in.reject("declined");
        }
    }

    public void cancel(int n) {
        Object t = lookUp(n);
        if (t instanceof Incoming in) {
            in.cancel("cancelled by the receiver", true);
        } else if (t instanceof Outgoing out) {
            out.cancel("cancelled by the sender", true);
        }
    }

    /** Lists every transfer of this chat with its state. */
    public void list() {
        if (numbered.isEmpty()) {
            event(new FileEvents.Note("no transfers yet (/send PATH offers a file or a folder)"));
            return;
        }
        StringBuilder text = new StringBuilder("transfers:");
        for (Object t : numbered) {
            text.append(System.lineSeparator()).append("*   ")
                    .append(t instanceof Outgoing out ? out.describe() : ((Incoming) t).describe());
        }
        event(new FileEvents.Note(text.toString()));
    }

    /** Tells the user something about transfers. */
    public void note(String text) {
        event(new FileEvents.Note(text));
    }

    private Object lookUp(int n) {
        if (n < 1 || n > numbered.size()) {
            event(new FileEvents.Note("no transfer " + n + " (/transfers lists them)"));
            return null;
        }
        return numbered.get(n - 1);
    }

    /** A link's hello is through: what waited is offered (or refused, if the peer cannot receive files). */
    void attached(Channel channel, Hello peer) {
        this.channel = channel;
        this.peerReceives = peer.supports(Features.FILES);
        if (peerReceives) {
            // Room for a few chunks, so that reading never waits for the socket; chat written meanwhile waits behind
            // at most this much file data (half a millisecond at 1 GB/s).
            channel.config().setWriteBufferWaterMark(WATER_MARK);
        }
        this.peerName = peer.name();
        for (Object t : numbered) {
            if (t instanceof Outgoing out && out.state == Outgoing.State.WAITING) {
                offerOrRefuse(out);
            }
        }
        if (ticker == null) {
            ticker = loop.scheduleAtFixedRate(this::progress, progressEvery.toMillis(), progressEvery.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** The link is gone ({@code reason}): what was under way on it fails; what waits for a connection stays. */
    void detached(Channel channel, String reason) {
        if (channel != this.channel) {
            return;
        }
        this.channel = null;
        for (Object t : numbered) {
            if (t instanceof Outgoing out && out.state != Outgoing.State.WAITING) {
                out.cancel(reason + "; an interrupted transfer is not resumed, send it again", false);
            } else if (t instanceof Incoming in && in.state != Incoming.State.OFFERED) {
                in.cancel(reason + "; an interrupted transfer is not resumed", false);
            } else if (t instanceof Incoming in) {
                in.cancel(reason, false);
            }
        }
    }

    /** A file frame from the peer on the current link. */
    void received(FileFrame frame) {
        if (frame instanceof FileOffer offer) {
            offered(offer);
        } else if (frame instanceof FileAccept a) {
            out(a.id(), a).accepted();
        } else if (frame instanceof FileReject r) {
            out(r.id(), r).rejected(r.reason());
        } else if (frame instanceof FileAck a) {
            out(a.id(), a).acknowledged(a.bytes());
        } else if (frame instanceof FileDone d) {
            out(d.id(), d).done(d);
        } else if (frame instanceof FileBegin b) {
            in(b.id(), b).begin(b);
        } else if (frame instanceof FileEnd e) {
            in(e.id(), e).end(e);
        } else if (frame instanceof FileCancel c) {
            String reason = peerName + " cancelled it" + (c.reason() == null ? "" : " (" + c.reason() + ")");
            if (c.bySender()) {
                in(c.id(), c).cancel(reason, false);
            } else {
                out(c.id(), c).cancel(reason, false);
            }
        }
    }

    /** File bytes from the peer; always released. */
    void data(FileData data) {
        Incoming in = incoming.get(data.id());
        if (in == null) {
            data.release();
            throw new ProtocolException("file data for transfer " + data.id() + ", which was never offered");
        }
        in.data(data);
    }

    private void offered(FileOffer offer) {
        String problem = PathSafety.problem(offer.name());
        if (problem != null) {
            throw new ProtocolException("file-offer " + offer.id() + " names a file with " + problem);
        }
        if (incoming.containsKey(offer.id())) {
            throw new ProtocolException("file-offer " + offer.id() + " offered twice");
        }
        int n = numbered.size() + 1;
        Incoming in = new Incoming(this, n, offer);
        numbered.add(in);
        incoming.put(offer.id(), in);
        event(new FileEvents.Offered(n, peerName, offer.name(), offer.folder(), offer.files(), offer.bytes()));
        if (acceptAll) {
            in.accept(downloads);
        }
    }

    private Outgoing out(int id, FileFrame frame) {
        Outgoing out = outgoing.get(id);
        if (out == null || out.state == Outgoing.State.WAITING) {
            throw new ProtocolException(frameName(frame) + " for transfer " + id + ", which this peer never offered");
        }
        return out;
    }

    private Incoming in(int id, FileFrame frame) {
        Incoming in = incoming.get(id);
        if (in == null) {
            throw new ProtocolException(frameName(frame) + " for transfer " + id + ", which was never offered");
        }
        return in;
    }

    private static String frameName(FileFrame frame) {
        return simchat.peer.wire.Json.typeName(frame);
    }

    /** The channel has room again: transfers that waited for it read on. */
    void writable() {
        for (Outgoing out : outgoing.values()) {
            out.pump();
        }
    }

    private void progress() {
        for (Object t : numbered) {
            long bytes;
            long total;
            if (t instanceof Outgoing out && out.state == Outgoing.State.SENDING) {
                bytes = out.acked();
                total = out.total();
            } else if (t instanceof Incoming in && in.state == Incoming.State.RECEIVING) {
                bytes = in.written();
                total = in.offer.bytes();
            } else {
                lastProgress.remove(t);
                continue;
            }
            long now = System.nanoTime();
            long[] last = lastProgress.put(t, new long[] {bytes, now});
            if (last == null) {
                continue;
            }
            long rate = (bytes - last[0]) * 1_000_000_000L / Math.max(1, now - last[1]);
            long eta = rate > 0 ? (total - bytes) * 1000 / rate : -1;
            if (t instanceof Outgoing out) {
                event(new FileEvents.Progress(out.n, out.source.name(), out.current, true, bytes, total, rate, eta));
            } else {
                Incoming in = (Incoming) t;
                event(new FileEvents.Progress(in.n, in.offer.name(), in.current(), false, bytes, total, rate, eta));
            }
        }
    }

    // For the transfers.

    Channel channel() {
        return channel;
    }

    FileIo io() {
        return io;
    }

    /** Writes a frame on the current link, or drops it when there is none. */
    void write(Object frame) {
        if (channel == null) {
            ReferenceCountUtil.release(frame);
            return;
        }
        channel.writeAndFlush(frame);
    }

    void event(ChatEvent event) {
        events.accept(event);
    }

    /** A transfer ended: when none is left running, whoever waits for that hears so. */
    void finished() {
        if (!busy()) {
            whenIdle.run();
        }
    }

    /** Runs {@code task} on the loop; if the loop is gone, releases {@code orphan} instead. */
    void onLoop(Runnable task, Object orphan) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            ReferenceCountUtil.release(orphan);
        }
    }
}
