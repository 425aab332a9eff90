package io.github.miniomigrator.events;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;

/** How far the target lags the source while `run` syncs: in the log, and as JMX attributes. No secret is here. */
@ManagedResource(description = "minio-migrator incremental sync")
public final class SyncStatus {
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong ignored = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong overflows = new AtomicLong();
    private final AtomicLong catchUpPasses = new AtomicLong();
    private volatile Instant lastEvent;
    private volatile boolean fullPassDone;
    private volatile ChangeQueue queue;
    private volatile BooleanSupplier connected = () -> true;
    private final Duration quietPeriod;

    public SyncStatus(Duration quietPeriod) {
        this.quietPeriod = quietPeriod;
    }

    public void attach(ChangeQueue queue, BooleanSupplier connected) {
        this.queue = queue;
        this.connected = connected;
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

    public void failed() {
        failed.incrementAndGet();
    }

    void overflowed() {
        overflows.incrementAndGet();
    }

    public void catchUpPassRun() {
        catchUpPasses.incrementAndGet();
    }

    public void fullPassDone() {
        fullPassDone = true;
    }

    @ManagedAttribute(description = "Whether the full pass at start has finished")
    public boolean isFullPassDone() {
        return fullPassDone;
    }

    @ManagedAttribute(description = "Events received (every key they name counts once)")
    public long getEventsReceived() {
        return received.get();
    }

    @ManagedAttribute(description = "Keys converged to the source after an event")
    public long getEventsApplied() {
        return applied.get();
    }

    @ManagedAttribute(description = "Events for buckets outside migration.buckets")
    public long getEventsIgnored() {
        return ignored.get();
    }

    @ManagedAttribute(description = "Event bodies that were not MinIO event JSON")
    public long getEventsMalformed() {
        return malformed.get();
    }

    @ManagedAttribute(description = "Keys whose sync failed after retries (the next catch-up pass covers them)")
    public long getSyncFailures() {
        return failed.get();
    }

    @ManagedAttribute(description = "Keys waiting to be synced")
    public int getPending() {
        ChangeQueue q = queue;
        return q == null ? 0 : q.pending() + q.inFlight();
    }

    @ManagedAttribute(description = "Seconds the oldest waiting key has waited")
    public double getOldestPendingSeconds() {
        ChangeQueue q = queue;
        return q == null ? 0 : q.oldestPendingSeconds();
    }

    @ManagedAttribute(description = "Time of the last event, ISO-8601, empty before the first")
    public String getLastEventTime() {
        Instant last = lastEvent;
        return last == null ? "" : last.toString();
    }

    @ManagedAttribute(description = "Times the queue overflowed and a catch-up pass replaced it")
    public long getQueueOverflows() {
        return overflows.get();
    }

    @ManagedAttribute(description = "Catch-up passes run after a gap, an overflow or on the reconcile interval")
    public long getCatchUpPasses() {
        return catchUpPasses.get();
    }

    @ManagedAttribute(description = "Whether the event stream is connected")
    public boolean isConnected() {
        return connected.getAsBoolean();
    }

    /** The full pass is done, nothing waits, and no event came for the quiet period: safe to cut over. */
    @ManagedAttribute(description = "Full pass done, nothing pending, and no event for migration.cutover.quiet-period")
    public boolean isDrained() {
        Instant last = lastEvent;
        boolean quiet = last == null || Duration.between(last, Instant.now()).compareTo(quietPeriod) >= 0;
        return fullPassDone && getPending() == 0 && quiet && isConnected();
    }

    public String line() {
        return String.format(java.util.Locale.ROOT, "events received %d, applied %d, pending %d (oldest %.0f s), ignored %d, malformed %d, "
                + "failed %d, last event %s, %s", getEventsReceived(), getEventsApplied(), getPending(), getOldestPendingSeconds(),
                getEventsIgnored(), getEventsMalformed(), getSyncFailures(), lastEvent == null ? "none" : lastEvent.toString(),
                isDrained() ? "drained" : "not drained");
    }
}
