package io.github.miniomigrator.observe;

import io.github.miniomigrator.copy.PassStats;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToLongFunction;

/** Every pass of this process (full, catch-up, and the event syncs'), so metrics can add them up: a few per day. */
public final class PassHistory {
    private final List<PassStats> passes = new CopyOnWriteArrayList<>();

    public void add(PassStats stats) {
        passes.add(stats);
    }

    public long sum(ToLongFunction<PassStats> counter) {
        return passes.stream().mapToLong(counter).sum();
    }
}
