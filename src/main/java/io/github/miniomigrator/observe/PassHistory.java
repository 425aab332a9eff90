package io.github.miniomigrator.observe;

import io.github.miniomigrator.copy.PassStats;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToLongFunction;

/** Every pass of this process (full, catch-up, and the event syncs'), so metrics can add them up: a few per day. */
public final class PassHistory {
    /** What retired passes counted, itself one of the passes summed. */
    private final PassStats retired = new PassStats();
    private final List<PassStats> passes = new CopyOnWriteArrayList<>(List.of(retired));

    public void add(PassStats stats) {
        passes.add(stats);
    }

    /**
     * A finished pass whose counts stay in the sums without the pass being kept: the batches of shared passes come by
     * the thousand. Its counts move into one running total.
     */
    public void retire(PassStats stats) {
        synchronized (retired) {
            retired.addCounts(stats);
            passes.remove(stats);
        }
    }

    public long sum(ToLongFunction<PassStats> counter) {
        return passes.stream().mapToLong(counter).sum();
    }
}
