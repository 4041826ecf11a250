package simchat.peer.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.ByteBuf;
import simchat.peer.console.ChatEvent;
import simchat.peer.wire.FileAccept;
import simchat.peer.wire.FileAck;
import simchat.peer.wire.FileBegin;
import simchat.peer.wire.FileCancel;
import simchat.peer.wire.FileData;
import simchat.peer.wire.FileDone;
import simchat.peer.wire.FileEnd;
import simchat.peer.wire.FileOffer;
import simchat.peer.wire.FileReject;
import simchat.peer.wire.ProtocolException;

/**
 * A transfer the other peer offered, on the event loop: accepted (free space checked), then each file's frames are
 * checked here (its path, its size against the offer, the window) and written by a {@link Sink} on the file thread;
 * written bytes are acknowledged, and each file's verdict is sent back. A peer that breaks these rules is
 * disconnected with the reason ({@link ProtocolException}).
 */
final class Incoming {

    enum State { OFFERED, ACCEPTING, RECEIVING, DONE, FAILED }

    private final Transfers transfers;
    final int n;
    final FileOffer offer;
    State state = State.OFFERED;
    private Path root;
    private String savedAs;
    private final Sink sink = new Sink();
    private final AtomicLong written = new AtomicLong();
    private final AtomicBoolean ackScheduled = new AtomicBoolean();
    private long received;
    private long ackSent;
    private int index = -1;
    private long size;
    private long got;
    private String path;
    private long beganNanos;
    private final Set<Integer> begun = new HashSet<>();
    private final Map<Integer, Integer> mismatches = new HashMap<>();
    private final Set<Integer> settled = new HashSet<>();
    private long begunBytes;
    private int ok;
    private int failed;
    private long okBytes;
    private long startNanos;

    Incoming(Transfers transfers, int n, FileOffer offer) {
        this.transfers = transfers;
        this.n = n;
        this.offer = offer;
    }

    String label() {
        return offer.name() + (offer.folder() ? "/" : "");
    }

    String current() {
        return path != null ? path : label();
    }

    long written() {
        return written.get();
    }

    /** Accepts into {@code downloads}, once the file thread found room there (and made the folder). */
    void accept(Path downloads) {
        if (state != State.OFFERED) {
            transfers.event(new FileEvents.Note("transfer " + n + " is not waiting for an answer"));
            return;
        }
        state = State.ACCEPTING;
        transfers.io().execute(() -> {
            String problem = null;
            Path made = null;
            try {
                long free = Files.getFileStore(downloads).getUsableSpace();
                if (free < offer.bytes()) {
                    problem = "not enough space in " + downloads + ": " + Sizes.bytes(offer.bytes()) + " needed, "
                            + Sizes.bytes(free) + " free";
                } else if (offer.folder()) {
                    made = freeFolder(downloads, offer.name());
                }
            } catch (IOException e) {
                problem = "cannot write to " + downloads + ": " + e.getMessage();
            }
            String why = problem;
            Path folder = made;
            transfers.onLoop(() -> accepted(downloads, folder, why), null);
        });
    }

    private static Path freeFolder(Path downloads, String name) throws IOException {
        for (int i = 0; ; i++) {
            try {
                return Files.createDirectory(downloads.resolve(FreeNames.candidate(name, i, true)));
            } catch (FileAlreadyExistsException e) {
                // Never merged into an existing folder: the next name.
            }
        }
    }

    private void accepted(Path downloads, Path folder, String problem) {
        if (state != State.ACCEPTING) {
            return;
        }
        if (problem != null) {
            transfers.write(new FileReject(offer.id(), problem));
            end(State.FAILED, new FileEvents.Failed(n, label(), null, problem));
            return;
        }
        root = folder != null ? folder : downloads;
        savedAs = folder != null ? folder.toString() : null;
        state = State.RECEIVING;
        startNanos = System.nanoTime();
        transfers.write(new FileAccept(offer.id()));
        transfers.event(new FileEvents.Accepted(n, label(), false, (folder != null ? folder : downloads).toString()));
        settleIfComplete();
    }

    void reject(String reason) {
        if (state != State.OFFERED) {
            transfers.event(new FileEvents.Note("transfer " + n + " is not waiting for an answer"));
            return;
        }
        transfers.write(new FileReject(offer.id(), reason));
        end(State.FAILED, new FileEvents.Note("declined " + label() + " (transfer " + n + ")"));
    }

    void begin(FileBegin b) {
        if (state == State.FAILED) {
            return;
        }
        requireReceiving("file-begin");
        if (index >= 0) {
            throw violation("file-begin for file " + b.index() + " while file " + index + " is not finished");
        }
        if (b.index() >= offer.files()) {
            throw violation("file-begin for file " + b.index() + ", but " + offer.files() + " were offered");
        }
        List<String> parts;
        try {
            parts = PathSafety.components(b.path());
        } catch (PathSafety.UnsafePathException e) {
            throw violation("the path of file " + b.index() + " has " + e.getMessage());
        }
        if (!parts.get(0).equals(offer.name()) || (offer.folder() ? parts.size() < 2 : parts.size() != 1)) {
            throw violation("file " + b.index() + " is not inside the offered " + (offer.folder() ? "folder" : "file"));
        }
        if (begun.add(b.index())) {
            begunBytes += b.size();
            if (begunBytes > offer.bytes()) {
                throw violation("more bytes than the " + offer.bytes() + " offered");
            }
        } else if (settled.contains(b.index()) || mismatches.getOrDefault(b.index(), 0) != 1) {
            throw violation("file " + b.index() + " sent again without being asked for");
        }
        index = b.index();
        size = b.size();
        got = 0;
        path = b.path();
        beganNanos = System.nanoTime();
        List<String> below = offer.folder() ? parts.subList(1, parts.size()) : parts;
        Path into = root;
        int id = offer.id();
        int i = index;
        int mode = b.mode();
        transfers.io().execute(() -> sink.open(into, below, id, i, mode));
    }

    /** Takes {@code data} over (releases it). */
    void data(FileData data) {
        int length = data.length();
        if (state == State.FAILED) {
            // Cancelled here: what was in flight before the other peer heard of it is dropped.
            data.release();
            return;
        }
        try {
            requireReceiving("file data");
            if (index < 0) {
                throw violation("file data outside a file");
            }
            if (data.offset() != got || got + length > size) {
                throw violation("file data at " + data.offset() + "+" + length + " for file " + index + " of "
                        + size + " bytes, " + got + " received");
            }
            if (received + length > ackSent + Outgoing.WINDOW) {
                throw violation("more file data than the window allows");
            }
        } catch (RuntimeException e) {
            data.release();
            throw e;
        }
        got += length;
        received += length;
        ByteBuf bytes = data.content();
        transfers.io().execute(() -> {
            IOException failure;
            try {
                failure = sink.write(bytes);
            } finally {
                bytes.release();
            }
            written.addAndGet(length);
            if (failure != null) {
                transfers.onLoop(() -> cancel("cannot write " + path + ": " + failure.getMessage(), true), null);
            } else if (ackScheduled.compareAndSet(false, true)) {
                transfers.onLoop(this::acknowledge, null);
            }
        });
    }

    private void acknowledge() {
        ackScheduled.set(false);
        long now = written.get();
        if (state == State.RECEIVING && now > ackSent) {
            ackSent = now;
            transfers.write(new FileAck(offer.id(), now));
        }
    }

    void end(FileEnd end) {
        if (state == State.FAILED) {
            return;
        }
        requireReceiving("file-end");
        if (end.index() != index) {
            throw violation("file-end for file " + end.index() + " while file " + index + " is under way");
        }
        if (end.sha256() != null && got != size) {
            throw violation("file-end after " + got + " of " + size + " bytes of file " + index);
        }
        int i = index;
        long bytes = size;
        String p = path;
        long millis = (System.nanoTime() - beganNanos) / 1_000_000;
        index = -1;
        path = null;
        transfers.io().execute(() -> {
            Sink.Verdict verdict = sink.finish(end.sha256(), end.problem());
            transfers.onLoop(() -> verdict(i, p, bytes, millis, end.sha256(), verdict), null);
        });
    }

    private void verdict(int i, String p, long bytes, long millis, String sha256, Sink.Verdict verdict) {
        if (state != State.RECEIVING) {
            return;
        }
        if (verdict.diskError()) {
            cancel(verdict.reason(), true);
            return;
        }
        switch (verdict.status()) {
            case FileDone.OK -> {
                settled.add(i);
                ok++;
                okBytes += bytes;
                transfers.write(new FileDone(offer.id(), i, FileDone.OK, null));
                transfers.event(new FileEvents.Received(n, label(), p, verdict.savedAs(), bytes, sha256, millis,
                        offer.folder()));
            }
            case FileDone.MISMATCH -> {
                if (mismatches.merge(i, 1, Integer::sum) == 1) {
                    transfers.write(new FileDone(offer.id(), i, FileDone.MISMATCH, verdict.reason()));
                    transfers.event(new FileEvents.Note(p + " arrived damaged (" + verdict.reason()
                            + "); fetching it once more"));
                } else {
                    settled.add(i);
                    failed++;
                    transfers.write(new FileDone(offer.id(), i, FileDone.FAILED, "SHA-256 did not match twice"));
                    transfers.event(new FileEvents.Failed(n, label(), p, "its SHA-256 did not match twice; not kept"));
                }
            }
            default -> {
                settled.add(i);
                failed++;
                transfers.write(new FileDone(offer.id(), i, FileDone.FAILED, verdict.reason()));
                transfers.event(new FileEvents.Failed(n, label(), p, verdict.reason()));
            }
        }
        settleIfComplete();
    }

    private void settleIfComplete() {
        if (ok + failed < offer.files()) {
            return;
        }
        long millis = (System.nanoTime() - startNanos) / 1_000_000;
        end(failed == 0 ? State.DONE : State.FAILED, offer.folder() ? new FileEvents.FolderDone(n, offer.name(),
                false, savedAs, offer.files(), failed, okBytes, millis) : null);
    }

    /** Ends the transfer, dropping the file under way; {@code tell}: say so to the other peer. */
    void cancel(String reason, boolean tell) {
        if (state == State.DONE || state == State.FAILED) {
            return;
        }
        if (tell && state != State.OFFERED) {
            transfers.write(new FileCancel(offer.id(), false, reason));
        } else if (tell) {
            transfers.write(new FileReject(offer.id(), reason));
        }
        end(State.FAILED, new FileEvents.Failed(n, label(), null, reason));
    }

    private void end(State to, ChatEvent event) {
        state = to;
        index = -1;
        if (event != null) {
            transfers.event(event);
        }
        transfers.io().execute(sink::discard);
        transfers.finished();
    }

    private void requireReceiving(String what) {
        if (state != State.RECEIVING) {
            throw violation(what + " for transfer " + offer.id() + ", which was not accepted");
        }
    }

    private static ProtocolException violation(String what) {
        return new ProtocolException(what);
    }

    boolean active() {
        return state == State.ACCEPTING || state == State.RECEIVING;
    }

    String describe() {
        String what = FileEvents.describe(offer.name(), offer.folder(), offer.files(), offer.bytes());
        return n + "  receive  " + what + "  " + switch (state) {
            case OFFERED -> "offered: /accept " + n + " or /reject " + n;
            case ACCEPTING -> "accepting";
            case RECEIVING -> Sizes.bytes(written.get()) + " of " + Sizes.bytes(offer.bytes()) + " written";
            case DONE -> "received, SHA-256 verified" + (savedAs != null ? " (" + savedAs + ")" : "");
            case FAILED -> "failed, declined or cancelled";
        };
    }
}
