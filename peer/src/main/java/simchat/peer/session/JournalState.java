package simchat.peer.session;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;

import simchat.peer.wire.Chat;
import simchat.peer.wire.Json;

/**
 * What a journal's records add up to: replayed from the file when it is opened, then kept up to date by the
 * writer thread (which alone touches it) to compact the file. An ack removes lines from the head of the
 * unacknowledged ones in order, so it costs O(1) per line.
 */
final class JournalState {

    private String epoch;
    private long lastSeq;
    private final LinkedHashMap<Long, Chat> unacked = new LinkedHashMap<>();
    private final Map<String, Long> shown = new HashMap<>();
    private Journal.Meeting meeting;
    private boolean touched;

    JournalState(String epoch) {
        this.epoch = epoch;
    }

    /** The state the lines of a journal file describe; a line torn by a crash is ignored. */
    static JournalState replay(List<String> lines) {
        JournalState state = new JournalState(null);
        for (String line : lines) {
            Journal.Record record = parse(line);
            if (record != null) {
                state.apply(record);
            }
        }
        if (state.epoch == null) {
            state.epoch = UUID.randomUUID().toString();
        }
        state.touched = state.lastSeq > 0 || !state.shown.isEmpty() || state.meeting != null;
        return state;
    }

    /** Applies one record; returns false for one that changes nothing (an ack of nothing), not worth writing. */
    boolean apply(Journal.Record record) {
        boolean changed = false;
        if (record.epoch() != null) {
            epoch = record.epoch();
            lastSeq = Math.max(lastSeq, record.lastSeq() == null ? 0 : record.lastSeq());
            changed = true;
        }
        if (record.sent() != null) {
            unacked.put(record.sent().seq(), record.sent());
            lastSeq = Math.max(lastSeq, record.sent().seq());
            touched = true;
            changed = true;
        }
        if (record.acked() != null) {
            // TCP keeps order and the peer acknowledges in order: acked lines are always at the head.
            Iterator<Long> seqs = unacked.keySet().iterator();
            while (seqs.hasNext() && seqs.next() <= record.acked()) {
                seqs.remove();
                changed = true;
            }
        }
        if (record.shown() != null) {
            shown.merge(record.shown().epoch(), record.shown().seq(), Math::max);
            touched = true;
            changed = true;
        }
        if (record.meet() != null) {
            meeting = record.meet();
            touched = true;
            changed = true;
        }
        return changed;
    }

    /** The lines that describe this state and nothing else: what compaction writes. */
    List<String> compacted() {
        List<String> lines = new java.util.ArrayList<>(1 + shown.size() + unacked.size());
        lines.add(format(new Journal.Record(epoch, lastSeq, null, null, null, meeting)));
        shown.forEach((peerEpoch, seq) -> lines.add(format(
                new Journal.Record(null, null, null, null, new Journal.Shown(peerEpoch, seq), null))));
        unacked.values().forEach(chat -> lines.add(format(new Journal.Record(null, null, chat, null, null, null))));
        return lines;
    }

    String epoch() {
        return epoch;
    }

    long lastSeq() {
        return lastSeq;
    }

    LinkedHashMap<Long, Chat> unacked() {
        return unacked;
    }

    Map<String, Long> shown() {
        return shown;
    }

    Journal.Meeting meeting() {
        return meeting;
    }

    /** Whether this chat ever sent, showed or met anything: a journal of one that did not is not kept. */
    boolean touched() {
        return touched;
    }

    static String format(Journal.Record record) {
        try {
            return Json.MAPPER.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Journal.Record parse(String line) {
        try {
            return Json.MAPPER.readValue(line, Journal.Record.class);
        } catch (JsonProcessingException e) {
            return null;   // a line torn by a crash
        }
    }
}
