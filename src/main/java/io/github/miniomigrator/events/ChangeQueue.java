package io.github.miniomigrator.events;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Keys waiting to be synced, bounded and coalescing: a hundred events for one key are one pending sync, a key being
 * synced is never handed to a second worker (a change during its sync queues it once more), and past the capacity
 * the queue empties itself and asks for a catch-up pass instead of growing or dropping changes silently.
 * <p>
 * Events whose offsets are committed only once their keys converged (Kafka) come with a {@link Ticket}: it converges
 * with the first sync of its key that starts after it, or with the first clean catch-up pass that starts after the
 * queue let its key go. A sync that failed keeps its tickets and is tried again {@code retryAfter} later.
 */
public final class ChangeQueue {
    /** How long a key whose sync failed waits before it is tried again, while events wait on it. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(30);

    /** A key's next sync (since: when it was queued) or its next try (since: when that is due), and the tickets waiting on it. */
    private record Waiting(long since, Receipts receipts) {
    }

    private final int capacity;
    private final long retryAfterNanos;
    private final SyncStatus status;
    private final LinkedHashMap<ObjectChange, Waiting> pending = new LinkedHashMap<>();
    private final LinkedHashMap<ObjectChange, Waiting> retrying = new LinkedHashMap<>();
    private final Map<ObjectChange, Receipts> inFlight = new HashMap<>();
    private final Map<ObjectChange, Receipts> changedWhileInFlight = new HashMap<>();
    private final Receipts awaitingPass = new Receipts();
    private boolean overflowed;
    private int peak;

    public ChangeQueue(int capacity, SyncStatus status) {
        this(capacity, RETRY_AFTER, status);
    }

    public ChangeQueue(int capacity, Duration retryAfter, SyncStatus status) {
        this.capacity = capacity;
        this.retryAfterNanos = retryAfter.toNanos();
        this.status = status;
    }

    public void offer(ObjectChange change) {
        offer(change, null);
    }

    /** A change, with the ticket of the event that named it (null when nothing waits on its sync). */
    public synchronized void offer(ObjectChange change, Ticket ticket) {
        status.received();
        if (inFlight.containsKey(change)) {
            changedWhileInFlight.computeIfAbsent(change, c -> new Receipts()).add(ticket);
            return;
        }
        Waiting retry = retrying.remove(change);
        if (retry != null) {
            pending.put(change, new Waiting(System.nanoTime(), retry.receipts())); // news of the key: try it now
        }
        Waiting waiting = pending.get(change);
        if (waiting != null) {
            waiting.receipts().add(ticket);
            return;
        }
        if (pending.size() + retrying.size() >= capacity) {
            overflow(ticket);
            return;
        }
        Receipts receipts = new Receipts();
        receipts.add(ticket);
        pending.put(change, new Waiting(System.nanoTime(), receipts));
        peak = Math.max(peak, pending.size() + retrying.size() + inFlight.size());
        notifyAll();
    }

    private void overflow(Ticket ticket) {
        overflowed = true;
        pending.values().forEach(waiting -> awaitingPass.addAll(waiting.receipts()));
        retrying.values().forEach(waiting -> awaitingPass.addAll(waiting.receipts()));
        awaitingPass.add(ticket);
        pending.clear();
        retrying.clear();
        status.overflowed();
        notifyAll();
    }

    /** The most keys held at once (waiting or being synced): what the queue's memory grew to, whatever the events. */
    public synchronized int peak() {
        return peak;
    }

    /** The oldest pending key, now in flight until {@link #done}; null when none came within the wait. */
    public synchronized ObjectChange take(long waitMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        retryDue();
        while (pending.isEmpty()) {
            long now = System.nanoTime();
            long left = deadline - now;
            if (left <= 0) {
                return null;
            }
            if (!retrying.isEmpty()) {
                left = Math.min(left, Math.max(1, retrying.values().iterator().next().since() - now));
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
            retryDue();
        }
        Iterator<Map.Entry<ObjectChange, Waiting>> first = pending.entrySet().iterator();
        Map.Entry<ObjectChange, Waiting> next = first.next();
        first.remove();
        inFlight.put(next.getKey(), next.getValue().receipts());
        return next.getKey();
    }

    private void retryDue() {
        long now = System.nanoTime();
        for (Iterator<Map.Entry<ObjectChange, Waiting>> it = retrying.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<ObjectChange, Waiting> retry = it.next();
            if (retry.getValue().since() - now > 0) {
                return; // tries fall due in the order they were put off
            }
            it.remove();
            pending.put(retry.getKey(), new Waiting(now, retry.getValue().receipts()));
        }
    }

    public void done(ObjectChange change) {
        done(change, true);
    }

    /** The sync of a key taken has ended: converged (the target matches the source) or not (tried again later). */
    public synchronized void done(ObjectChange change, boolean converged) {
        Receipts receipts = inFlight.remove(change);
        Receipts again = changedWhileInFlight.remove(change);
        if (converged) {
            receipts.converged();
        } else if (again != null) {
            again.addAll(receipts); // the next sync comes at once and covers these too
        } else if (!receipts.isEmpty()) {
            retrying.put(change, new Waiting(System.nanoTime() + retryAfterNanos, receipts));
        }
        if (again != null) {
            pending.put(change, new Waiting(System.nanoTime(), again));
        }
        notifyAll();
    }

    /** Whether the queue overflowed since the last call: then a catch-up pass must cover what it let go. */
    public synchronized boolean takeOverflow() {
        boolean was = overflowed;
        overflowed = false;
        return was;
    }

    /** Call as a pass starts: the tickets of the keys the queue let go so far, which converge when it ends cleanly. */
    public synchronized Receipts passStarts() {
        Receipts covered = new Receipts();
        covered.addAll(awaitingPass);
        return covered;
    }

    /** A clean pass converged every key it covered; after one with errors its tickets wait for the next pass. */
    public synchronized void passEnded(Receipts covered, boolean clean) {
        if (clean) {
            covered.converged();
        } else {
            awaitingPass.addAll(covered);
        }
    }

    /** Whether tickets wait for a clean catch-up pass (the last one that should have covered them had errors). */
    public synchronized boolean awaitsPass() {
        return !awaitingPass.isEmpty();
    }

    /** Keys waiting for a sync or for their next try. */
    public synchronized int pending() {
        return pending.size() + retrying.size();
    }

    public synchronized int inFlight() {
        return inFlight.size();
    }

    /** Seconds the oldest pending key has waited, 0 when none waits. */
    public synchronized double oldestPendingSeconds() {
        if (pending.isEmpty()) {
            return 0;
        }
        return (System.nanoTime() - pending.values().iterator().next().since()) / 1e9;
    }
}
