package io.github.miniomigrator.events;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

/**
 * Keys waiting to be synced, bounded and coalescing: a hundred events for one key are one pending sync, a key being
 * synced is never handed to a second worker (a change during its sync queues it once more), and past the capacity
 * the queue empties itself and asks for a catch-up pass instead of growing or dropping changes silently.
 * <p>
 * A key whose sync failed stays <em>owed</em> until a sync of it converges: it is tried again with backoff (5 s,
 * doubling to 30 s), at once when an event names it again or when a run of failures ends (the store is back). A key whose delete the delete brake holds waits, held,
 * until an operator releases the brake. So "nothing pending" means every change the queue was told of converged.
 * <p>
 * Events whose offsets are committed only once their keys converged (Kafka) come with a {@link Ticket}: it converges
 * with the first sync of its key that starts after it, or with the first clean catch-up pass that starts after the
 * queue let its key go.
 */
public final class ChangeQueue {
    /** How long a key whose sync failed first waits before it is tried again; each failure after doubles it, to MAX_RETRY_AFTER. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(5);
    private static final int MAX_BACKOFF_FACTOR = 6;
    /** Failed syncs in a row after which the first one to converge asks for a catch-up pass: the store was away a while. */
    static final int RUN_OF_ERRORS = 10;

    /**
     * A key's next sync (due: when it was queued, or when its next try falls due), when the oldest change of it not
     * converged yet came, how many syncs of it failed in a row, and the tickets waiting on it.
     */
    private record Waiting(long due, long firstSeen, int failures, Receipts receipts) {
        Waiting merged(Receipts more, long now) {
            receipts.addAll(more);
            return new Waiting(now, firstSeen, failures, receipts);
        }
    }

    private record Due(long at, ObjectChange change, Waiting waiting) {
    }

    private final int capacity;
    private final long retryAfterNanos;
    private final SyncStatus status;
    private final LinkedHashMap<ObjectChange, Waiting> pending = new LinkedHashMap<>();
    private final LinkedHashMap<ObjectChange, Waiting> retrying = new LinkedHashMap<>();
    /** The owed keys by when they fall due; an entry whose key left {@link #retrying} meanwhile is stale and skipped. */
    private final PriorityQueue<Due> dues = new PriorityQueue<>(Comparator.comparingLong(Due::at));
    private final LinkedHashMap<ObjectChange, Waiting> held = new LinkedHashMap<>();
    private final Map<ObjectChange, Waiting> inFlight = new HashMap<>();
    private final Map<ObjectChange, Waiting> changedWhileInFlight = new HashMap<>();
    private final Receipts awaitingPass = new Receipts();
    private boolean overflowed;
    private int peak;
    private int failuresInARow;
    private boolean errorsEnded;
    /** Since when keys the queue let go (an overflow) wait for a clean pass: part of the lag; -1 when none waits. */
    private long letGoSince = -1;
    private long lastOverflow = -1;

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
        long now = System.nanoTime();
        if (inFlight.containsKey(change)) {
            changedWhileInFlight.computeIfAbsent(change, c -> new Waiting(now, now, 0, new Receipts())).receipts().add(ticket);
            return;
        }
        Waiting again = retrying.remove(change);
        if (again == null) {
            again = held.remove(change);
        }
        if (again != null) {
            pending.put(change, new Waiting(now, again.firstSeen(), again.failures(), again.receipts())); // news of the key: try it now
            notifyAll();
        }
        Waiting waiting = pending.get(change);
        if (waiting != null) {
            waiting.receipts().add(ticket);
            return;
        }
        if (pending.size() + retrying.size() + held.size() >= capacity) {
            overflow(ticket, now);
            return;
        }
        Receipts receipts = new Receipts();
        receipts.add(ticket);
        pending.put(change, new Waiting(now, now, 0, receipts));
        peak = Math.max(peak, pending.size() + retrying.size() + held.size() + inFlight.size());
        notifyAll();
    }

    /** Past the capacity: the waiting keys are let go to a catch-up pass (held deletes stay held: no pass may delete them either). */
    private void overflow(Ticket ticket, long now) {
        overflowed = true;
        lastOverflow = now;
        if (letGoSince < 0) {
            letGoSince = oldest(now);
        }
        pending.values().forEach(waiting -> awaitingPass.addAll(waiting.receipts()));
        retrying.values().forEach(waiting -> awaitingPass.addAll(waiting.receipts()));
        awaitingPass.add(ticket);
        pending.clear();
        retrying.clear();
        dues.clear();
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
            Long nextTry = nextTry();
            if (nextTry != null) {
                left = Math.min(left, Math.max(1, nextTry - now));
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
            retryDue();
        }
        Iterator<Map.Entry<ObjectChange, Waiting>> first = pending.entrySet().iterator();
        Map.Entry<ObjectChange, Waiting> next = first.next();
        first.remove();
        inFlight.put(next.getKey(), next.getValue());
        return next.getKey();
    }

    /** When the next owed key falls due (System.nanoTime()), null when none is owed. */
    private Long nextTry() {
        skipStale();
        Due next = dues.peek();
        return next == null ? null : next.at();
    }

    private void retryDue() {
        long now = System.nanoTime();
        for (skipStale(); !dues.isEmpty() && dues.peek().at() - now <= 0; skipStale()) {
            Due due = dues.poll();
            retrying.remove(due.change());
            pending.put(due.change(), due.waiting());
            status.retried();
        }
    }

    private void skipStale() {
        while (!dues.isEmpty() && retrying.get(dues.peek().change()) != dues.peek().waiting()) {
            dues.poll();
        }
    }

    public void done(ObjectChange change) {
        done(change, SyncOutcome.CONVERGED);
    }

    /** The sync of a key taken has ended: converged (the target matches the source) or not (tried again later). */
    public void done(ObjectChange change, boolean converged) {
        done(change, SyncOutcome.of(converged));
    }

    /** The sync of a key taken has ended: converged, failed (owed: tried again later), or its delete held by the brake. */
    public synchronized void done(ObjectChange change, SyncOutcome outcome) {
        long now = System.nanoTime();
        Waiting synced = inFlight.remove(change);
        Waiting again = changedWhileInFlight.remove(change);
        switch (outcome) {
            case CONVERGED -> {
                synced.receipts().converged();
                if (failuresInARow >= RUN_OF_ERRORS) {
                    errorsEnded = true;
                    retryAllNow(now); // the store is back: the keys owed from its absence need not wait out their backoff
                }
                failuresInARow = 0;
                if (again != null) {
                    pending.put(change, again);
                }
            }
            case FAILED -> {
                failuresInARow++;
                int failures = synced.failures() + 1;
                if (again != null) {
                    pending.put(change, new Waiting(now, synced.firstSeen(), failures, synced.receipts()).merged(again.receipts(), now));
                } else {
                    Waiting owed = new Waiting(now + backoff(failures), synced.firstSeen(), failures, synced.receipts());
                    retrying.put(change, owed);
                    dues.add(new Due(owed.due(), change, owed));
                }
            }
            case HELD -> {
                if (again != null) { // news of the key during the sync: it may be back in the source
                    pending.put(change, new Waiting(now, synced.firstSeen(), synced.failures(), synced.receipts()).merged(again.receipts(), now));
                } else {
                    held.put(change, synced);
                }
            }
        }
        notifyAll();
    }

    /** How long a key waits after its n-th failure in a row: the base, doubling, at most six times the base (30 s). */
    long backoff(int failures) {
        return Math.min(retryAfterNanos << Math.min(failures - 1, 8), retryAfterNanos * MAX_BACKOFF_FACTOR);
    }

    private void retryAllNow(long now) {
        retrying.forEach((change, waiting) -> {
            Waiting due = new Waiting(now, waiting.firstSeen(), waiting.failures(), waiting.receipts());
            retrying.put(change, due);
            dues.add(new Due(now, change, due));
        });
    }

    /** Whether the queue overflowed since the last call: then a catch-up pass must cover what it let go. */
    public synchronized boolean takeOverflow() {
        boolean was = overflowed;
        overflowed = false;
        return was;
    }

    /**
     * Whether a run of failed syncs ({@value #RUN_OF_ERRORS} or more in a row) ended with one that converged since the
     * last call: a store was away a while, so a catch-up pass follows, as after a gap in the events.
     */
    public synchronized boolean takeErrorsEnded() {
        boolean was = errorsEnded;
        errorsEnded = false;
        return was;
    }

    /** Call as a pass starts: the tickets of the keys the queue let go so far, which converge when it ends cleanly. */
    public synchronized Receipts passStarts() {
        Receipts covered = new Receipts();
        covered.addAll(awaitingPass);
        covered.passStartedAt = System.nanoTime();
        return covered;
    }

    /** A clean pass converged every key it covered; after one with errors its tickets wait for the next pass. */
    public synchronized void passEnded(Receipts covered, boolean clean) {
        if (clean) {
            covered.converged();
            if (lastOverflow < 0 || lastOverflow - covered.passStartedAt < 0) {
                letGoSince = -1; // it started after the last overflow: it covered every key let go
            }
        } else {
            awaitingPass.addAll(covered);
        }
    }

    /** Whether tickets wait for a clean catch-up pass (the last one that should have covered them had errors). */
    public synchronized boolean awaitsPass() {
        return !awaitingPass.isEmpty();
    }

    /**
     * Whether keys the queue let go (an overflow) still wait for a clean catch-up pass that started after it: their
     * tickets (Kafka), or only the fact (webhook, listen: no tickets).
     */
    public synchronized boolean awaitsCatchUp() {
        return !awaitingPass.isEmpty() || letGoSince >= 0;
    }

    /** Keys waiting for a sync (news of them, or their next try due), not counting those owed after failures or held. */
    public synchronized int pending() {
        return pending.size();
    }

    /** Keys whose last sync failed, waiting for their next try. */
    public synchronized int owed() {
        return retrying.size();
    }

    /** Keys whose delete the delete brake holds until an operator releases it. */
    public synchronized int held() {
        return held.size();
    }

    public synchronized int inFlight() {
        return inFlight.size();
    }

    /** Seconds until the next owed key is tried again; -1 when none is owed. */
    public synchronized double secondsToNextTry() {
        Long next = nextTry();
        return next == null ? -1 : Math.max(0, (next - System.nanoTime()) / 1e9);
    }

    /**
     * The lag: seconds since the oldest change not converged yet came — waiting, being synced, owed after failures,
     * held by the delete brake, or let go to a catch-up pass that has not ended cleanly; 0 when every change converged.
     * It grows through an outage.
     */
    public synchronized double lagSeconds() {
        long now = System.nanoTime();
        long oldest = oldest(now);
        if (letGoSince >= 0 && letGoSince - oldest < 0) {
            oldest = letGoSince;
        }
        return (now - oldest) / 1e9;
    }

    private long oldest(long now) {
        long oldest = now;
        for (Map<ObjectChange, Waiting> keys : List.of(pending, retrying, held, inFlight)) {
            for (Waiting waiting : keys.values()) {
                if (waiting.firstSeen() - oldest < 0) {
                    oldest = waiting.firstSeen();
                }
            }
        }
        return oldest;
    }

    /** Lets every held delete go to be synced again (the brake was released); how many there were. */
    public synchronized int releaseHeld() {
        int released = held.size();
        long now = System.nanoTime();
        held.forEach((change, waiting) -> pending.put(change, new Waiting(now, waiting.firstSeen(), waiting.failures(), waiting.receipts())));
        held.clear();
        notifyAll();
        return released;
    }

    /** Seconds the oldest key waiting for a sync has waited, 0 when none waits. */
    public synchronized double oldestPendingSeconds() {
        long now = System.nanoTime();
        long oldest = now;
        for (Waiting waiting : pending.values()) {
            if (waiting.firstSeen() - oldest < 0) {
                oldest = waiting.firstSeen();
            }
        }
        return (now - oldest) / 1e9;
    }
}
