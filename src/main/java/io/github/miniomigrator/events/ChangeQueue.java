package io.github.miniomigrator.events;

import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Keys waiting to be synced, bounded and coalescing: a hundred events for one key are one pending sync, a key being
 * synced is never handed to a second worker (a change during its sync queues it once more), and past the capacity
 * the queue empties itself and asks for a catch-up pass instead of growing or dropping changes silently.
 */
public final class ChangeQueue {
    private final int capacity;
    private final SyncStatus status;
    private final LinkedHashMap<ObjectChange, Long> pending = new LinkedHashMap<>();
    private final Set<ObjectChange> inFlight = new HashSet<>();
    private final Set<ObjectChange> changedWhileInFlight = new HashSet<>();
    private boolean overflowed;
    private int peak;

    public ChangeQueue(int capacity, SyncStatus status) {
        this.capacity = capacity;
        this.status = status;
    }

    public synchronized void offer(ObjectChange change) {
        status.received();
        if (inFlight.contains(change)) {
            changedWhileInFlight.add(change);
            return;
        }
        if (pending.containsKey(change)) {
            return;
        }
        if (pending.size() >= capacity) {
            overflowed = true;
            pending.clear();
            status.overflowed();
            notifyAll();
            return;
        }
        pending.put(change, System.nanoTime());
        peak = Math.max(peak, pending.size() + inFlight.size());
        notifyAll();
    }

    /** The most keys held at once (waiting or being synced): what the queue's memory grew to, whatever the events. */
    public synchronized int peak() {
        return peak;
    }

    /** The oldest pending key, now in flight until {@link #done}; null when none came within the wait. */
    public synchronized ObjectChange take(long waitMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        while (pending.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        Iterator<Map.Entry<ObjectChange, Long>> first = pending.entrySet().iterator();
        ObjectChange change = first.next().getKey();
        first.remove();
        inFlight.add(change);
        return change;
    }

    public synchronized void done(ObjectChange change) {
        inFlight.remove(change);
        if (changedWhileInFlight.remove(change)) {
            pending.put(change, System.nanoTime());
        }
        notifyAll();
    }

    /** Whether the queue overflowed since the last call: then a catch-up pass must cover what it let go. */
    public synchronized boolean takeOverflow() {
        boolean was = overflowed;
        overflowed = false;
        return was;
    }

    public synchronized int pending() {
        return pending.size();
    }

    public synchronized int inFlight() {
        return inFlight.size();
    }

    /** Seconds the oldest pending key has waited, 0 when none waits. */
    public synchronized double oldestPendingSeconds() {
        if (pending.isEmpty()) {
            return 0;
        }
        return (System.nanoTime() - pending.values().iterator().next()) / 1e9;
    }
}
