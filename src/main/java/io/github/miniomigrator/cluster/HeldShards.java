package io.github.miniomigrator.cluster;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The shards of shared passes this instance holds now (claimed, its batch running) and how many it has finished, for
 * /observe/health and /observe/metrics. Changed on the shard worker's thread, read on theirs.
 */
public final class HeldShards {
    private final Set<String> held = new ConcurrentSkipListSet<>();
    private final AtomicLong finished = new AtomicLong();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    void hold(String pass, List<String> shards) {
        shards.forEach(shard -> held.add(pass + "/" + shard));
        listeners.forEach(Runnable::run);
    }

    /** The batch is over: finished (its done nodes written) or given up. */
    void release(String pass, List<String> shards, boolean done) {
        shards.forEach(shard -> held.remove(pass + "/" + shard));
        if (done) {
            finished.addAndGet(shards.size());
        }
        listeners.forEach(Runnable::run);
    }

    /** Runs after every change of the shards held. */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /** The shards held now, each as pass/shard (e.g. pass-0000000007/0-12). */
    public List<String> held() {
        return List.copyOf(held);
    }

    /** Shards this instance has run to the end (done nodes written) since it started. */
    public long finished() {
        return finished.get();
    }
}
