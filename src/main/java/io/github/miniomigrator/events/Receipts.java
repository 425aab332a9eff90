package io.github.miniomigrator.events;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The tickets that converge together: those of one key's next sync, or those a catch-up pass must cover. Of one
 * stream only the oldest is kept; a later one is released at once, since the oldest holds its stream's watermark
 * below both until they converge together. So a key named by a thousand events holds one ticket per stream.
 */
public final class Receipts {
    private final Map<Watermark, Ticket> oldest = new IdentityHashMap<>(2);
    /** For the receipts a pass covers: when it started (System.nanoTime()). */
    long passStartedAt;

    void add(Ticket ticket) {
        if (ticket == null) {
            return;
        }
        Ticket held = oldest.get(ticket.stream());
        if (held == null) {
            oldest.put(ticket.stream(), ticket);
        } else if (ticket.position() < held.position()) {
            oldest.put(ticket.stream(), ticket);
            held.converged();
        } else {
            ticket.converged();
        }
    }

    /** Takes over every ticket of the other receipts, which are left empty. */
    void addAll(Receipts other) {
        other.oldest.values().forEach(this::add);
        other.oldest.clear();
    }

    /** The sync or pass these tickets waited for has converged their keys. */
    void converged() {
        oldest.values().forEach(Ticket::converged);
        oldest.clear();
    }

    boolean isEmpty() {
        return oldest.isEmpty();
    }
}
