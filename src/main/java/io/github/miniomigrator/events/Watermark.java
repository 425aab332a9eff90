package io.github.miniomigrator.events;

import java.util.TreeMap;

/**
 * How far one ordered stream of events (a Kafka partition) has converged: the lowest position whose event still waits
 * for its key's sync, or one past the last position read when none waits. Everything before it may be committed. It
 * holds one count per waiting position, and the change queue keeps at most two waiting tickets per key (one in flight,
 * one pending) and one per stream for a catch-up pass, so its memory follows the keys held, not the events read.
 */
public final class Watermark {
    private final TreeMap<Long, Integer> waiting = new TreeMap<>();
    private long end = -1;

    /** The event at this position was read (whatever it turns out to name). */
    public synchronized void read(long position) {
        end = Math.max(end, position + 1);
    }

    /** The event at this position names a key: the watermark stays at or below it until the ticket converges. */
    public synchronized Ticket claim(long position) {
        waiting.merge(position, 1, Integer::sum);
        return new Ticket(this, position);
    }

    synchronized void converged(long position) {
        waiting.computeIfPresent(position, (p, n) -> n == 1 ? null : n - 1);
    }

    /** Every event before this position has converged; -1 while nothing was read. */
    public synchronized long safe() {
        return waiting.isEmpty() ? end : waiting.firstKey();
    }

    /** One past the last position read; -1 while nothing was read. */
    public synchronized long end() {
        return end;
    }

    /** Positions whose events still wait for their keys to converge. */
    public synchronized int waiting() {
        return waiting.size();
    }
}
