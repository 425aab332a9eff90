package io.github.miniomigrator.copy;

import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.listing.Shard;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLongArray;

/** One pass over one bucket mapping: what it works on, what it found, and the target keys it may delete afterwards. */
public final class CopyPass implements AutoCloseable {
    /** The exchange property under which the routes find the pass. */
    public static final String PROPERTY = "MigrationPass";

    private final BucketMapping mapping;
    private final PassStats stats = new PassStats();
    private final ExtraKeys extraKeys;
    /** Null: the planner splits the mapping itself; else exactly these shards (a batch several instances share out). */
    private final List<Shard> shards;
    private final boolean deletes;
    private final AtomicLongArray shardExtras;
    private final Instant started = Instant.now();
    private volatile Instant finished;
    private final java.util.List<AutoCloseable> resources = new java.util.concurrent.CopyOnWriteArrayList<>();

    public CopyPass(BucketMapping mapping) {
        this(mapping, null, true);
    }

    /**
     * A pass over given shards of the mapping only.
     * @param deletes whether target keys the source lacks are deleted after it (when migration.remove allows); off, they
     *     are only counted, as in a batch whose shards are part of a larger pass that decides on deletes as a whole
     */
    public CopyPass(BucketMapping mapping, List<? extends Shard> shards, boolean deletes) {
        this.mapping = mapping;
        this.shards = shards == null ? null : List.copyOf(shards);
        this.deletes = deletes;
        this.shardExtras = new AtomicLongArray(shards == null ? 0 : shards.size());
        this.extraKeys = new ExtraKeys();
    }

    /**
     * Counts a target key the source lacks against the fixed shard it belongs to (against all of them should none
     * claim it: a count too high only lists a shard again before deleting).
     */
    public void extraFound(String key) {
        if (shards == null) {
            return;
        }
        for (int i = 0; i < shards.size(); i++) {
            if (shards.get(i).contains(key)) {
                shardExtras.incrementAndGet(i);
                return;
            }
        }
        for (int i = 0; i < shards.size(); i++) {
            shardExtras.incrementAndGet(i);
        }
    }

    /** The extra target keys found in one of the fixed shards (by its index). */
    public long extras(int shard) {
        return shardExtras.get(shard);
    }

    /** The shards fixed for this pass, or empty: the planner splits the whole mapping. */
    public Optional<List<Shard>> shards() {
        return Optional.ofNullable(shards);
    }

    /** Whether this pass may delete the extra target keys it found (they are counted either way). */
    public boolean deletes() {
        return deletes;
    }

    public BucketMapping mapping() {
        return mapping;
    }

    public PassStats stats() {
        return stats;
    }

    public ExtraKeys extraKeys() {
        return extraKeys;
    }

    public Instant started() {
        return started;
    }

    public Instant finished() {
        return finished;
    }

    public void finish() {
        finished = Instant.now();
    }

    private volatile boolean cancelled;

    /** Stops feeding new keys (the copies under way finish); a stopped pass deletes nothing. */
    public void cancel() {
        cancelled = true;
    }

    public boolean cancelled() {
        return cancelled;
    }

    /** Something the pass opened (a listing reader) that must stop when the pass does. */
    public <T extends AutoCloseable> T closeAfter(T resource) {
        resources.add(resource);
        return resource;
    }

    @Override
    public void close() {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                // closing a reader cannot fail in a way that matters after the pass
            }
        }
        extraKeys.close();
    }
}
