package io.github.miniomigrator.copy;

import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.listing.Shard;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Predicate;

/**
 * One pass over one bucket mapping: what it works on, what it found, and the target keys it may delete afterwards.
 * Where other instances may write the same keys, its writes wait for one settling join after it rather than a look each
 * ({@link SettlingJoin}); the pass that runs that join is a pass too, over the shards this one listed.
 */
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
    /** The pass whose writes this one settles (it is that pass's settling join), or null. */
    private final CopyPass settles;
    /** Set for `copy --dry-run`: the pass decides as a real one and records its copies and deletes here instead. */
    private volatile DryRun dryRun;
    /** The shards the listing was split into, and which of them it began (set as the listing starts). */
    private volatile List<? extends Shard> listed = List.of();
    private volatile Predicate<Shard> begun = shard -> true;
    /** Writes whose look waits for the settling join: counted while deferrals are open, none once they are closed. */
    private boolean deferring;
    private boolean deferralsClosed;
    private long deferred;

    public CopyPass(BucketMapping mapping) {
        this(mapping, null, true);
    }

    /**
     * A pass over given shards of the mapping only.
     * @param deletes whether target keys the source lacks are deleted after it (when migration.remove allows); off, they
     *     are only counted, as in a batch whose shards are part of a larger pass that decides on deletes as a whole
     */
    public CopyPass(BucketMapping mapping, List<? extends Shard> shards, boolean deletes) {
        this(mapping, shards, deletes, null);
    }

    private CopyPass(BucketMapping mapping, List<? extends Shard> shards, boolean deletes, CopyPass settles) {
        this.settles = settles;
        this.dryRun = settles == null ? null : settles.dryRun;
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

    /** Raises each fixed shard's count of extra target keys to what the settling join found in it (the same shard). */
    void addExtras(CopyPass settling) {
        if (shards == null || settling.shards == null) {
            return;
        }
        for (int i = 0; i < shards.size(); i++) {
            int j = settling.shards.indexOf(shards.get(i).listedOnBothSides());
            if (j >= 0 && settling.shardExtras.get(j) > shardExtras.get(i)) {
                shardExtras.set(i, settling.shardExtras.get(j));
            }
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

    /** Set by the planner as the listing starts: the shards it lists, and which of them it has begun. */
    void listing(List<? extends Shard> shards, Predicate<Shard> begun) {
        this.listed = List.copyOf(shards);
        this.begun = begun;
    }

    /**
     * The shards this pass's listing began, in its order: every key the pass can have written is in one of them. Each
     * with both sides listed: the pass may have written where the target had nothing when it was planned.
     */
    List<Shard> begunShards() {
        Predicate<Shard> started = begun;
        return listed.stream().filter(started).map(shard -> ((Shard) shard).listedOnBothSides()).toList();
    }

    /** From now on (until {@link #closeDeferrals}) a write of this pass leaves its look to the settling join. */
    synchronized void deferLooks() {
        deferring = true;
    }

    /**
     * Called by a copy after its write landed: true, and counted, when the look at the source waits for the settling
     * join (whose listings start after every deferred write landed); false when the copy must look now itself.
     */
    synchronized boolean deferLook() {
        if (!deferring || deferralsClosed) {
            return false;
        }
        deferred++;
        return true;
    }

    /**
     * Ends the deferrals (a copy still running looks for itself) and says how many writes wait for the settling join.
     * Idempotent: the copy-bucket route's last step and the caller after the route both close them.
     */
    synchronized long closeDeferrals() {
        deferralsClosed = true;
        return deferred;
    }

    /** Whether this pass is the settling join of another: that pass deletes its extras after it, and copies no new keys once cut short. */
    boolean settlingRound() {
        return settles != null;
    }

    /** The settling join of this pass: a pass over the given shards (those this one listed), deleting nothing itself. */
    CopyPass settlingRound(List<? extends Shard> over) {
        return new CopyPass(mapping, over, deletes, this);
    }

    /**
     * In a settling join of a pass that was cut short (stopped, or its listing failed) or had failures: only keys the
     * target holds are converged — every key the pass wrote is on the target, so a stale write shows among them — and the
     * keys it never reached or could not copy are left to the pass that runs again (it is not clean), so a stop does not
     * wait for the rest of the copy, nor does a failing target get every refused key again.
     */
    boolean onlyKeysTheTargetHolds() {
        return settles != null && (settles.cancelled() || !settles.stats().clean());
    }

    /** Makes this pass a dry run: nothing is written, its copies and deletes are recorded in {@code plan}. Before it runs. */
    public CopyPass dryRun(DryRun plan) {
        this.dryRun = plan;
        return this;
    }

    /** The record of a dry run, or null: the pass writes. */
    public DryRun dryRun() {
        return dryRun;
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
