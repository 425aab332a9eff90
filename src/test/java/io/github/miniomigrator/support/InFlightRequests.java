package io.github.miniomigrator.support;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A {@link FaultyProxy} policy that holds the requests it counts for a while before passing them on (as a distant
 * store's answers take their time, so that requests pile up) and remembers the most it held at once: what the server
 * sees in flight, whatever the client believes it sends. Each counted request has a kind (say, the first folder of its
 * key), so a test can tell whether requests of different origins were in flight together. Made {@link #gathering}, it
 * first holds them until that many are there at once, so that "so many were in flight together" is a state the
 * client brings about or not, however slow the machine, never a race against the hold.
 */
public final class InFlightRequests implements Function<FaultyProxy.Request, FaultyProxy.Fault> {
    private final Predicate<FaultyProxy.Request> counted;
    private final Function<FaultyProxy.Request, String> kindOf;
    private final Duration hold;
    private final AtomicInteger now = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final AtomicInteger total = new AtomicInteger();
    private final Map<String, AtomicInteger> nowByKind = new ConcurrentHashMap<>();
    private final AtomicInteger mostKindsAtOnce = new AtomicInteger();
    private int together;
    private Duration longest = Duration.ZERO;
    private boolean opened = true;

    public InFlightRequests(Predicate<FaultyProxy.Request> counted, Duration hold) {
        this(counted, request -> "", hold);
    }

    public InFlightRequests(Predicate<FaultyProxy.Request> counted, Function<FaultyProxy.Request, String> kindOf, Duration hold) {
        this.counted = counted;
        this.kindOf = kindOf;
        this.hold = hold;
    }

    /**
     * Holds each counted request until {@code together} are held at once (then every request only for {@code hold}), or
     * for {@code longest} at most: then the test fails on {@link #peak} rather than hanging.
     */
    public InFlightRequests gathering(int together, Duration longest) {
        this.together = together;
        this.longest = longest;
        this.opened = false;
        return this;
    }

    @Override
    public FaultyProxy.Fault apply(FaultyProxy.Request request) {
        if (!counted.test(request)) {
            return FaultyProxy.Fault.PASS;
        }
        AtomicInteger ofKind = nowByKind.computeIfAbsent(kindOf.apply(request), kind -> new AtomicInteger());
        synchronized (this) {
            peak.accumulateAndGet(now.incrementAndGet(), Math::max);
            ofKind.incrementAndGet();
            long kinds = nowByKind.values().stream().filter(count -> count.get() > 0).count();
            mostKindsAtOnce.accumulateAndGet((int) kinds, Math::max);
        }
        total.incrementAndGet();
        try {
            gather();
            Thread.sleep(hold.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            synchronized (this) {
                ofKind.decrementAndGet();
                now.decrementAndGet();
            }
        }
        return FaultyProxy.Fault.PASS;
    }

    private synchronized void gather() throws InterruptedException {
        long deadline = System.nanoTime() + longest.toNanos();
        if (now.get() >= together) {
            opened = true;
            notifyAll();
        }
        while (!opened && System.nanoTime() < deadline) {
            wait(Math.max(1, java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
    }

    /** The most counted requests held at once. */
    public int peak() {
        return peak.get();
    }

    /** Counted requests so far. */
    public int total() {
        return total.get();
    }

    /** Counted requests of this kind in flight now. */
    public int now(String kind) {
        AtomicInteger count = nowByKind.get(kind);
        return count == null ? 0 : count.get();
    }

    /** The most kinds with a request in flight at the same moment. */
    public int mostKindsAtOnce() {
        return mostKindsAtOnce.get();
    }
}
