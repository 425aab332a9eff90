package io.github.miniomigrator.command;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * When `run` runs a pass once its full pass is done: the whole pass again when this instance takes over the lead, a
 * catch-up pass after a gap in events, on migration.reconcile.interval (the leader's), or a minute after a pass that
 * events wait on failed; and when the status line is due. The loop asks it each tick with what it saw; the time comes
 * from the ticker given (System::nanoTime in `run`, a hand-moved one in tests).
 */
final class PassSchedule {
    /** After a catch-up pass with errors, events still wait on it (kafka mode): the next one starts this long after. */
    static final Duration PASS_AGAIN_AFTER = Duration.ofMinutes(1);
    static final Duration STATUS_EVERY = Duration.ofSeconds(30);

    /**
     * What the loop saw in one tick.
     *
     * @param overflow the event queue let keys go (it overflowed)
     * @param gap a gap in this instance's events (a stream reconnected)
     * @param recovered syncs converge again after a run of failures (a store was away)
     * @param waiting events wait on a pass, or the last pass failed
     * @param leads this instance runs the singletons
     */
    record Tick(boolean overflow, boolean gap, boolean recovered, boolean waiting, boolean leads) {
    }

    /**
     * A catch-up pass to run now.
     *
     * @param reason why, for the log
     * @param singleton a reconcile pass (the leader's, stopped when it stops leading) rather than one for this
     *        instance's own events
     */
    record CatchUp(String reason, boolean singleton) {
    }

    private final LongSupplier nanoTime;
    private final Duration reconcile;
    private long passedTerm;
    private long lastPass;
    private long lastStatus;

    /**
     * @param nanoTime a monotonic clock in nanoseconds
     * @param reconcile migration.reconcile.interval (zero: off)
     * @param passedTerm the leadership term whose full pass ran (0 when none ran here)
     */
    PassSchedule(LongSupplier nanoTime, Duration reconcile, long passedTerm) {
        this.nanoTime = nanoTime;
        this.reconcile = reconcile;
        this.passedTerm = passedTerm;
        this.lastPass = nanoTime.getAsLong();
        this.lastStatus = lastPass;
    }

    /** Whether this instance has just become leader for a term it ran no full pass in: the last leader's may have been cut short. */
    boolean takesOver(boolean leads, long term) {
        if (leads && term != passedTerm) {
            passedTerm = term;
            return true;
        }
        return false;
    }

    /** The catch-up pass to run now, if any: a pass the tick's signals or the time since the last pass call for. */
    Optional<CatchUp> catchUp(Tick tick) {
        long sinceLast = nanoTime.getAsLong() - lastPass;
        boolean due = !reconcile.isZero() && sinceLast >= reconcile.toNanos() && tick.leads();
        boolean again = tick.waiting() && sinceLast >= PASS_AGAIN_AFTER.toNanos();
        if (!(tick.overflow() || tick.gap() || due || again || tick.recovered())) {
            return Optional.empty();
        }
        String reason = tick.overflow() ? "the event queue overflowed" : due ? "reconcile interval"
                : again ? "the last pass had errors (events may wait on it)" : tick.recovered()
                ? "syncs converge again after a run of failures (a store was away)" : "after a gap in events";
        return Optional.of(new CatchUp(reason, !(tick.overflow() || tick.gap() || again || tick.recovered())));
    }

    /** A pass ended (a takeover's or a catch-up): the intervals count from now. */
    void passEnded() {
        lastPass = nanoTime.getAsLong();
    }

    /** Whether the status line is due now; if so it counts as written. */
    boolean statusDue() {
        long now = nanoTime.getAsLong();
        if (now - lastStatus >= STATUS_EVERY.toNanos()) {
            lastStatus = now;
            return true;
        }
        return false;
    }
}
