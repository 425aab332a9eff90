package io.github.miniomigrator.events;

import io.github.miniomigrator.events.kafka.HeldPartitions;
import io.github.miniomigrator.i18n.Messages;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/** How far the target lags the source while `run` syncs: in the log, and as JMX attributes. No secret is here. */
public final class SyncStatus implements SyncStatusMBean {
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong ignored = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong deleted = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    /** The store's answer to the last sync that failed, for the status line ("owed after …"). */
    private volatile String lastFailure = "";
    private final AtomicLong overflows = new AtomicLong();
    private final AtomicLong catchUpPasses = new AtomicLong();
    private volatile Instant lastEvent;
    private volatile boolean fullPassDone;
    private volatile Instant fullPassDoneAt;
    private volatile ChangeQueue queue;
    private volatile BooleanSupplier connected = () -> true;
    private volatile LongSupplier unread = () -> 0;
    /** kafka mode: the partitions this instance holds (null in the other modes). */
    private volatile HeldPartitions partitions;
    /** kafka mode without a cluster: to cut over, this instance must hold every partition of the topic (nobody else will say). */
    private volatile boolean wholeTopic;
    private final Duration quietPeriod;
    private final DeleteBrake brake;

    public SyncStatus(Duration quietPeriod) {
        this(quietPeriod, new DeleteBrake(-1));
    }

    public SyncStatus(Duration quietPeriod, DeleteBrake brake) {
        this.quietPeriod = quietPeriod;
        this.brake = brake;
    }

    /** The brake on deletes that events ask for. */
    public DeleteBrake brake() {
        return brake;
    }

    public void attach(ChangeQueue queue, BooleanSupplier connected) {
        attach(queue, connected, () -> 0);
    }

    /** With a transport that keeps events for the tool: unread counts those it has not read yet (-1: not known yet). */
    public void attach(ChangeQueue queue, BooleanSupplier connected, LongSupplier unread) {
        this.queue = queue;
        this.connected = connected;
        this.unread = unread;
    }

    /**
     * kafka mode: connected while the consumer is a member of its group, unread its partitions' lag; and not drained while
     * a partition it was just given has an unread count Kafka has not told yet.
     *
     * @param wholeTopic whether a cutover needs this instance to hold every partition of the topic: it runs without a
     *        cluster, so a partition it does not hold is held by a consumer it cannot see, or by none while the group
     *        rebalances ({@link #cutoverGap})
     */
    public void attach(ChangeQueue queue, HeldPartitions partitions, boolean wholeTopic) {
        this.partitions = partitions;
        this.wholeTopic = wholeTopic;
        attach(queue, partitions::member, partitions::lag);
    }

    /**
     * Why a cutover cannot trust this instance's "drained" for the whole topic, or null: in kafka mode without a cluster,
     * a partition of the topic it does not hold (its own drained status covers only what it holds, as with instances
     * sharing a group without ZooKeeper).
     */
    public String cutoverGap() {
        HeldPartitions held = partitions;
        return held == null || !wholeTopic ? null : held.notDrainedBecause(true);
    }

    /** kafka mode: the partitions this instance holds; empty in the other modes. */
    public java.util.Optional<HeldPartitions> partitions() {
        return java.util.Optional.ofNullable(partitions);
    }

    void received() {
        received.incrementAndGet();
        lastEvent = Instant.now();
    }

    public void applied() {
        applied.incrementAndGet();
    }

    public void ignored() {
        ignored.incrementAndGet();
    }

    public void malformed() {
        malformed.incrementAndGet();
    }

    /** A webhook delivery refused with 401 or 400: nothing of it applied. */
    public void refused() {
        refused.incrementAndGet();
    }

    /** A sync ended without converging: the store's answer (one line, no secret), kept for the status line. */
    public void failed(String reason) {
        failed.incrementAndGet();
        lastFailure = reason;
    }

    /** A sync converged by deleting the target key (the source lacks it). */
    public void deleted() {
        deleted.incrementAndGet();
    }

    /** An owed key is tried again. */
    void retried() {
        retried.incrementAndGet();
    }

    void overflowed() {
        overflows.incrementAndGet();
    }

    public void catchUpPassRun() {
        catchUpPasses.incrementAndGet();
    }

    /** Why the last pass of this instance failed, or null after a clean one: a failed pass keeps it from being drained. */
    private volatile String lastPassFailed;

    public void passEnded(String failedBecause) {
        lastPassFailed = failedBecause;
    }

    public String lastPassFailed() {
        return lastPassFailed;
    }

    public void fullPassDone() {
        fullPassDoneAt = Instant.now();
        fullPassDone = true;
    }

    @Override
    public boolean isFullPassDone() {
        return fullPassDone;
    }
    @Override
    public long getEventsReceived() {
        return received.get();
    }

    @Override
    public long getEventsApplied() {
        return applied.get();
    }

    @Override
    public long getEventsIgnored() {
        return ignored.get();
    }

    @Override
    public long getEventsMalformed() {
        return malformed.get();
    }
    @Override
    public long getDeliveriesRefused() {
        return refused.get();
    }

    @Override
    public long getSyncFailures() {
        return failed.get();
    }

    @Override
    public long getEventDeletes() {
        return deleted.get();
    }

    @Override
    public long getSyncRetries() {
        return retried.get();
    }

    @Override
    public int getPending() {
        ChangeQueue q = queue;
        return q == null ? 0 : q.pending() + q.inFlight();
    }

    @Override
    public int getKeysOwed() {
        ChangeQueue q = queue;
        return q == null ? 0 : q.owed();
    }

    @Override
    public int getDeletesHeld() {
        ChangeQueue q = queue;
        return q == null ? 0 : q.held();
    }

    @Override
    public boolean isDeleteBrakeEngaged() {
        return brake.engaged();
    }

    @Override
    public String releaseDeletes() {
        ChangeQueue q = queue;
        int held = q == null ? 0 : q.held();
        brake.release(held);
        if (q != null) {
            q.releaseHeld();
        }
        return held + " held delete(s) released";
    }

    /** Whether the delete brake holds deletes (engaged, or deletes wait): passes delete nothing meanwhile. */
    public boolean holdsDeletes() {
        return brake.engaged() || getDeletesHeld() > 0;
    }

    @Override
    public double getLagSeconds() {
        ChangeQueue q = queue;
        return q == null ? 0 : q.lagSeconds();
    }

    @Override
    public int getPeakPending() {
        ChangeQueue q = queue;
        return q == null ? 0 : q.peak();
    }

    @Override
    public double getOldestPendingSeconds() {
        ChangeQueue q = queue;
        return q == null ? 0 : q.oldestPendingSeconds();
    }

    @Override
    public String getLastEventTime() {
        Instant last = lastEvent;
        return last == null ? "" : last.toString();
    }

    @Override
    public long getQueueOverflows() {
        return overflows.get();
    }

    @Override
    public long getCatchUpPasses() {
        return catchUpPasses.get();
    }

    @Override
    public long getUnreadEvents() {
        return unread.getAsLong();
    }

    @Override
    public boolean isConnected() {
        return connected.getAsBoolean();
    }

    /** The full pass is done, nothing waits (nor is unread on the broker), and no event came for the quiet period: safe to cut over. */
    @Override
    public boolean isDrained() {
        return notDrainedBecause(null) == null;
    }

    /**
     * Why this instance is not drained, in words for a refusal; null when it is. A leader (followingSince null) needs its
     * full pass done and counts the quiet period from its end; a follower in a cluster runs no full pass of its own, so it
     * is drained once nothing waits nor is unread, it is connected, and no event came for the quiet period since it began
     * following.
     */
    public String notDrainedBecause(Instant followingSince) {
        if (queue == null) {
            return Messages.text("cli.sync.not-capturing");
        }
        if (!isConnected()) {
            return Messages.text("cli.sync.not-connected");
        }
        if (followingSince == null && !fullPassDone) {
            return Messages.text("cli.sync.full-pass-not-done");
        }
        String failedPass = lastPassFailed;
        if (failedPass != null) {
            return failedPass;
        }
        int pending = getPending();
        if (pending > 0) {
            return Messages.text("cli.sync.pending", pending, String.format(java.util.Locale.ROOT, "%.0f", getOldestPendingSeconds()));
        }
        int owed = getKeysOwed();
        if (owed > 0) {
            return Messages.text("cli.sync.owed", owed, lastFailure, String.format(java.util.Locale.ROOT, "%.0f", queue.secondsToNextTry()));
        }
        int heldDeletes = getDeletesHeld();
        if (heldDeletes > 0 || brake.engaged()) {
            return Messages.text("cli.sync.deletes-held", heldDeletes, brake.limit());
        }
        if (queue.awaitsCatchUp()) {
            return Messages.text("cli.sync.awaits-catch-up");
        }
        HeldPartitions held = partitions;
        String gap = held == null ? null : held.notDrainedBecause(false);
        if (gap != null) {
            return gap;
        }
        long unreadEvents = getUnreadEvents();
        if (unreadEvents > 0) {
            return Messages.text("cli.sync.unread", unreadEvents);
        }
        // quiet since the last event, or since the full pass (or following) if none came: never drained the moment it starts
        Instant base = followingSince == null ? fullPassDoneAt : followingSince;
        Instant last = lastEvent;
        Instant since = last == null || last.isBefore(base) ? base : last;
        Duration quiet = Duration.between(since, Instant.now());
        if (quiet.compareTo(quietPeriod) < 0) {
            long left = (quietPeriod.minus(quiet).toMillis() + 999) / 1000;
            String lastSeen = last != null && !last.isBefore(base) ? Messages.text("cli.sync.last-event-ago", quiet.toSeconds())
                    : followingSince == null ? Messages.text("cli.sync.none-since-full-pass") : Messages.text("cli.sync.none-since-following");
            return Messages.text("cli.sync.not-quiet", quietPeriod.toSeconds(), lastSeen, left);
        }
        return null;
    }

    /** Seconds since the last event this instance received; -1 before any. */
    public long secondsSinceLastEvent() {
        Instant last = lastEvent;
        return last == null ? -1 : Duration.between(last, Instant.now()).toSeconds();
    }

    /** The full pass runs again (a new term as leader): not drained until it is done. */
    public void fullPassStarted() {
        fullPassDone = false;
    }

    /**
     * The status line: what came, what converged, what stands between now and drained. failed counts syncs that ended
     * without converging (each try once), as migration_events_failed_total does; retried the owed keys tried again.
     */
    public String line() {
        String notDrained = notDrainedBecause(null);
        return Messages.text("cli.sync.line", getEventsReceived(), getEventsApplied(), getEventDeletes(), getPending(), getKeysOwed(),
                getDeletesHeld(), String.format(java.util.Locale.ROOT, "%.0f", getLagSeconds()), getSyncFailures(), getSyncRetries(),
                getEventsIgnored(), getEventsMalformed(), getDeliveriesRefused(),
                lastEvent == null ? Messages.text("cli.sync.no-event") : lastEvent.toString(),
                notDrained == null ? Messages.text("cli.sync.drained") : Messages.text("cli.sync.not-drained", notDrained));
    }
}
