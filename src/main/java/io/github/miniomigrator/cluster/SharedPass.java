package io.github.miniomigrator.cluster;

import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.copy.CopyPass;
import io.github.miniomigrator.copy.ExtraObjectRemover;
import io.github.miniomigrator.copy.PassPlanner;
import io.github.miniomigrator.copy.PassStats;
import io.github.miniomigrator.listing.Shard;
import io.github.miniomigrator.report.PassSummary;
import io.github.miniomigrator.store.StoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's side of a pass the instances share: it plans the shards of every mapping and publishes them (or adopts
 * the open pass a dead leader left), waits while every instance's {@link ShardWorker} — its own among them — runs
 * them, then closes the pass: it adds up the batches' tallies per mapping and, only when every shard of a mapping ran
 * cleanly, deletes that mapping's extra target keys through one local pass over just the shards that found some
 * (migration.max-delete counted over all its shards first). Its summaries make the pass's one report.
 */
public final class SharedPass {
    private static final Logger LOG = LoggerFactory.getLogger(SharedPass.class);
    private static final long AFTER_ERROR_MILLIS = 1_000;
    /** Failed shards named in a mapping's note; the rest are counted. */
    private static final int NAMED_SHARDS = 20;

    private final PassBoard board;
    private final PassPlanner planner;
    private final ExtraObjectRemover remover;
    private final List<BucketMapping> mappings;
    private final ShardWorker.BatchRunner runner;
    private final String member;
    private volatile boolean adopted;

    public SharedPass(PassBoard board, PassPlanner planner, ExtraObjectRemover remover, List<BucketMapping> mappings,
            ShardWorker.BatchRunner runner, String member) {
        this.board = board;
        this.planner = planner;
        this.remover = remover;
        this.mappings = List.copyOf(mappings);
        this.runner = runner;
        this.member = member;
    }

    /**
     * Runs one shared pass to its end, ZooKeeper errors retried; empty when it stopped first (goOn turned false: this
     * instance stops or no longer leads — the next leader adopts the pass).
     */
    public Optional<List<PassSummary>> run(String kind, long term, BooleanSupplier goOn) throws InterruptedException {
        List<CopyPass> totals = mappings.stream().map(CopyPass::new).toList();
        try {
            String pass = null;
            while (goOn.getAsBoolean()) {
                try {
                    long seen = board.seen(); // before the look: a shard done during it ends the wait below at once
                    if (pass == null) {
                        pass = openOrPublish(kind, term, totals, goOn);
                    }
                    if (pass != null && board.doneNames(pass).size() >= board.shardCount(pass)) {
                        return Optional.of(close(pass, totals, goOn));
                    }
                    board.awaitChange(seen, goOn);
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    LOG.warn("{} pass: ZooKeeper: {}; trying again", kind, StoreException.describe(e));
                    TimeUnit.MILLISECONDS.sleep(AFTER_ERROR_MILLIS);
                }
            }
            return Optional.empty();
        } finally {
            totals.forEach(CopyPass::close);
        }
    }

    /** Whether the last pass run was one a former leader had published (this leader finished it). */
    public boolean adopted() {
        return adopted;
    }

    private String openOrPublish(String kind, long term, List<CopyPass> totals, BooleanSupplier goOn) throws Exception {
        board.dropUnready();
        List<String> names = mappings.stream().map(BucketMapping::toString).toList();
        for (String pass : board.open()) {
            PassBoard.PassInfo info = board.info(pass);
            if (!info.mappings().equals(names)) {
                // planned for other mappings (migration.buckets changed since): no instance of these settings runs it
                LOG.warn("{} pass: pass {} of leader {} was planned for other mappings ({}); closing it unfinished", kind, pass,
                        info.leader(), info.mappings());
                board.finish(pass, "abandoned: planned for other mappings");
                continue;
            }
            adopted = true;
            LOG.info("{} pass: adopting pass {} of leader {}: the shards done stay done, the others run now", kind, pass, info.leader());
            return pass;
        }
        adopted = false;
        List<PlannedShard> shards = new ArrayList<>();
        for (int m = 0; m < mappings.size(); m++) {
            BucketMapping mapping = mappings.get(m);
            try {
                List<? extends Shard> planned = planner.plan(mapping);
                for (int n = 0; n < planned.size(); n++) {
                    shards.add(PlannedShard.of(m, n, mapping.toString(), planned.get(n)));
                }
            } catch (RuntimeException e) {
                // as a pass alone would: this mapping fails, the others run
                totals.get(m).stats().passError("could not split the keys into shards: " + StoreException.describe(e));
            }
        }
        if (!goOn.getAsBoolean()) {
            return null;
        }
        String pass = board.publish(new PassBoard.PassInfo(kind, term, member, Instant.now().toString(), names), shards);
        LOG.info("{} pass {}: {} shards over {} mapping(s), shared by every instance", kind, pass, shards.size(), mappings.size());
        return pass;
    }

    private List<PassSummary> close(String pass, List<CopyPass> totals, BooleanSupplier goOn) throws Exception {
        Map<String, ShardDone> done = board.done(pass);
        List<PlannedShard> shards = board.shards(pass);
        List<BatchTally> tallies = board.tallies(pass);
        List<PassSummary> summaries = new ArrayList<>();
        for (int m = 0; m < mappings.size(); m++) {
            int mapping = m;
            CopyPass total = totals.get(m);
            PassStats stats = total.stats();
            tallies.stream().filter(t -> t.mapping() == mapping).forEach(t -> t.addTo(stats));
            List<PlannedShard> own = shards.stream().filter(s -> s.mapping() == mapping).toList();
            stats.listedRanges(own.size());
            Map<String, Long> byMember = new TreeMap<>();
            own.forEach(s -> byMember.merge(done.get(s.name()).member(), 1L, Long::sum));
            stats.note("pass " + pass + ": " + own.size() + " shards run by " + byMember.size() + " instance(s) " + byMember);
            List<String> failed = own.stream().map(PlannedShard::name).filter(name -> !done.get(name).clean()).toList();
            if (!failed.isEmpty()) {
                String names = String.join(", ", failed.subList(0, Math.min(NAMED_SHARDS, failed.size())))
                        + (failed.size() > NAMED_SHARDS ? " and " + (failed.size() - NAMED_SHARDS) + " more" : "");
                stats.note(failed.size() + " of " + own.size() + " shards had errors (pass " + pass + ", shards " + names
                        + "); the next pass runs them again");
                if (stats.clean()) {
                    stats.passError("shards " + names + " had errors");
                }
            }
            removeExtras(total, own.stream().filter(s -> done.get(s.name()).extras() > 0).toList(), goOn);
            total.finish();
            double seconds = Duration.between(total.started(), total.finished()).toMillis() / 1000.0;
            stats.throughput().sample(seconds, stats.movedBytes.sum(), stats.copiedObjects.sum());
            summaries.add(PassSummary.of(total));
        }
        if (goOn.getAsBoolean()) {
            board.finish(pass, summaries.stream().allMatch(PassSummary::ok) ? "ok" : "failed");
        }
        return summaries;
    }

    /** Deletes a mapping's extra target keys once all its shards ran cleanly, within migration.max-delete over all of them. */
    private void removeExtras(CopyPass total, List<PlannedShard> withExtras, BooleanSupplier goOn) {
        PassStats stats = total.stats();
        long extras = stats.extraObjects.sum();
        if (!remover.removes() || extras == 0 || withExtras.isEmpty()) {
            return;
        }
        if (!stats.clean()) {
            stats.note(ExtraObjectRemover.notDeletedAfterErrors(extras, stats.extraSample.keys()));
            stats.extrasKept(ExtraObjectRemover.KEPT_AFTER_ERRORS);
            return;
        }
        Optional<String> tooMany = remover.overLimit(total.mapping(), extras, stats.extraSample.keys());
        if (tooMany.isPresent()) {
            stats.passError(tooMany.get());
            stats.extrasKept(remover.keptOverLimit());
            return;
        }
        if (!goOn.getAsBoolean()) {
            return;
        }
        // the shards that found extras, listed again with deletes on: the remover asks the source again per key
        try (CopyPass deletion = new CopyPass(total.mapping(), withExtras.stream().map(PlannedShard::decoded).toList(), true)) {
            LOG.info("{}: every shard ran cleanly; deleting the extra target keys of {} shard(s)", total.mapping(), withExtras.size());
            runner.run(deletion);
            PassStats d = deletion.stats();
            stats.deletedObjects.add(d.deletedObjects.sum());
            stats.copiedObjects.add(d.copiedObjects.sum());
            stats.copiedBytes.add(d.copiedBytes.sum());
            stats.rewrites.add(d.rewrites.sum());
            stats.failedObjects.add(d.failedObjects.sum());
            d.failures().forEach(stats::keepFailure);
            d.notes().forEach(stats::note);
            if (d.passError() != null) {
                stats.passError(d.passError());
            }
        }
    }
}
