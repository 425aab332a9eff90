package io.github.miniomigrator.copy;

import io.github.miniomigrator.listing.Shard;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks after a pass's writes with one more merge-join instead of a HEAD per write (issue 11, where other instances may
 * write the same keys: {@code migration.recheck-after-write}). A pass's copies skip the look of {@link WriteRecheck};
 * once its route has returned, and if it wrote anything, the same shards are merge-joined again, and every difference
 * found is converged with the look after each write on, so that round's own writes are looked after one by one.
 * <p>
 * Why that is as safe as a look per write: the race's guarantee is "whichever write lands last, its writer looks at the
 * source after it". A deferred write is counted only after it landed, and deferrals close before the settling join
 * lists (a copy that lands later looks for itself, as before), so both listings of the join start after every deferred
 * write landed: they are that look, for every key the pass wrote, at once. A key whose stale copy landed last shows as a
 * difference (older size or ETag on the target) and is copied again, its new write looked after by a HEAD. Event syncs
 * and deletes keep their look per write ({@link WriteRecheck}): they are few.
 * <p>
 * Cost: both stores listed once more per pass that wrote something (one request per 1,000 keys per store), instead of
 * one HEAD per written object; a join that finds nothing different copies nothing.
 */
public final class SettlingJoin {
    private static final Logger LOG = LoggerFactory.getLogger(SettlingJoin.class);
    private final boolean enabled;
    private final ExtraObjectRemover remover;

    /** @param enabled whether writes are looked after at all (migration.recheck-after-write) */
    public SettlingJoin(boolean enabled, ExtraObjectRemover remover) {
        this.enabled = enabled;
        this.remover = remover;
    }

    /** Before a pass's route runs: its writes leave their look to the settling join (where writes are looked after). */
    public void prepare(CopyPass pass) {
        if (enabled && !pass.settlingRound()) {
            pass.deferLooks();
        }
    }

    /**
     * After the pass's route has returned — to its end, with an error, or stopped — and so after every copy it deferred
     * has landed: when it wrote anything, runs the settling join over the shards it listed, counts what that join did
     * into the pass, then deletes the pass's extras (when it may).
     * @param route runs a pass through the copy-bucket route and returns when every copy of it has finished
     */
    public void settle(CopyPass pass, Consumer<CopyPass> route) {
        long deferred = pass.closeDeferrals();
        if (deferred == 0) {
            return; // nothing written without its look; the route's last step has deleted as it always did
        }
        List<Shard> shards = pass.begunShards();
        // no shard known (a pass the planner never listed): the settling join plans the whole mapping again
        try (CopyPass settling = pass.settlingRound(shards.isEmpty() ? null : shards)) {
            LOG.debug("{}: settling join of {} write(s) over {} shard(s)", pass.mapping(), deferred, shards.size());
            route.accept(settling);
            addUp(pass, settling);
            pass.addExtras(settling);
            long again = settling.stats().copiedObjects.sum();
            if (again > 0 || !settling.stats().clean()) {
                LOG.info("{}: settling join after {} write(s): {} written again (the source changed, or another writer's copy landed "
                        + "before this pass's older one){}", pass.mapping(), deferred, again,
                        settling.stats().clean() ? "" : "; it had errors: " + settling.stats().failedObjects.sum() + " failed"
                                + (settling.stats().passError() == null ? "" : ", " + settling.stats().passError()));
            }
            // Deletes come after the settling join, never before it (the route's own delete step left them, as the pass
            // deferred looks). The order is safe, and the other one would not be: (1) nothing is deleted after a pass with
            // errors, and the join's failures are the pass's, so only now is it known whether the pass as a whole was
            // clean; (2) the join lists after every write of the pass landed, so its extras are the fresh ones — among them
            // a key the pass copied while the source deleted it, whose stale copy landed after the delete reached the
            // target — and the ones it no longer finds (back in the source) are not deleted; (3) the deletes, each asking
            // the source again, run alone, never interleaved with copies of the same pass; migration.max-delete counts
            // them once. Deleting before the join would have decided on the first listing alone and been blind to the
            // join's errors.
            remover.deleteExtras(pass, settling.extraKeys());
        }
    }

    /**
     * What the settling join did, counted into the pass: its writes as rewrites (the pass already counted the objects
     * as copied), its failures as the pass's failures (a batch with them is not clean; a key that had failed already
     * counts once), its notes and error.
     */
    static void addUp(CopyPass pass, CopyPass settling) {
        PassStats stats = pass.stats();
        PassStats join = settling.stats();
        stats.rewrites.add(join.copiedObjects.sum());
        stats.goneObjects.add(join.goneObjects.sum());
        stats.retries.add(join.retries.sum());
        // a key that failed in the pass and again in its join is one failed object
        java.util.Set<String> failedBefore = stats.failedKeys();
        long again = join.failedKeys().stream().filter(failedBefore::contains).count();
        stats.failedObjects.add(join.failedObjects.sum() - again);
        join.failures().forEach(stats::keepFailure);
        join.notes().forEach(stats::note);
        if (join.passError() != null) {
            String error = "the settling join (a second listing of the keys the pass wrote) stopped: " + join.passError();
            if (stats.passError() == null) {
                stats.passError(error);
            } else {
                stats.note(error);
            }
        }
    }
}
