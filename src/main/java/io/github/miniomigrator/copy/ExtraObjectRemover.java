package io.github.miniomigrator.copy;

import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.config.Setting;
import io.github.miniomigrator.listing.Difference;
import io.github.miniomigrator.store.Retry;
import io.github.miniomigrator.store.SourceStore;
import io.github.miniomigrator.store.StoreException;
import io.github.miniomigrator.report.KeySample;
import io.github.miniomigrator.store.TargetStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;

/**
 * After a pass, deletes the target keys the source lacks, in batches of up to 1,000 through the delete-objects route
 * (one DeleteObjects request each) — but only after a clean pass, never more than migration.max-delete, and only keys
 * the source still lacks when asked again now; each key's lock is held from that look until its batch's result is
 * recorded. Where other instances write the same keys, a key back in the source by the time its delete landed is
 * copied again.
 */
public final class ExtraObjectRemover {
    public static final String TARGET_BUCKET_PROPERTY = "MigrationTargetBucket";
    private static final Logger LOG = LoggerFactory.getLogger(ExtraObjectRemover.class);

    private final ProducerTemplate producer;
    private final SourceStore source;
    private final boolean remove;
    private final long maxDelete;
    private final KeyLocks locks;
    private final Retry retry;
    private final WriteRecheck recheck;
    private final BooleanSupplier brakeHolds;
    private final TransferSlots slots;
    /** Sends a batch through the delete-objects route and answers each key's result. */
    private final Function<DeleteBatch, List<DeleteResult>> sender;

    /**
     * @param brakeHolds whether the event delete brake holds deletes now: then passes delete nothing either
     * @param slots the process's bound on transfers in flight: each delete holds one
     */
    public ExtraObjectRemover(ProducerTemplate producer, SourceStore source, boolean remove, long maxDelete, KeyLocks locks, Retry retry,
            WriteRecheck recheck, BooleanSupplier brakeHolds, TransferSlots slots) {
        this(producer, source, remove, maxDelete, locks, retry, recheck, brakeHolds, slots, batch -> deleteBatch(producer, batch));
    }

    /** @param sender sends a batch and answers each key's result (the delete-objects route; a test's own) */
    ExtraObjectRemover(ProducerTemplate producer, SourceStore source, boolean remove, long maxDelete, KeyLocks locks, Retry retry,
            WriteRecheck recheck, BooleanSupplier brakeHolds, TransferSlots slots, Function<DeleteBatch, List<DeleteResult>> sender) {
        this.sender = sender;
        this.brakeHolds = brakeHolds;
        this.slots = slots;
        this.locks = locks;
        this.recheck = recheck;
        this.retry = retry;
        this.producer = producer;
        this.source = source;
        this.remove = remove;
        this.maxDelete = maxDelete;
    }

    /**
     * Deletes the target object of a source key through the delete-object route, retrying transient failures; the
     * caller holds the key's lock and a transfer slot ({@link TransferSlots}).
     */
    public static void deleteTarget(ProducerTemplate producer, Retry retry, BucketMapping mapping, String sourceKey) {
        String key = mapping.targetKey(sourceKey);
        DeleteBatch one = new DeleteBatch(mapping, List.of(sourceKey));
        retry.call("DELETE target " + mapping.targetBucket() + "/" + key, () -> {
            Exchange done = producer.send("direct:delete-object", exchange -> {
                exchange.getMessage().setBody(DeleteObjectRequest.builder().bucket(mapping.targetBucket()).key(key).build());
                exchange.setProperty(TARGET_BUCKET_PROPERTY, mapping.targetBucket());
                exchange.setProperty(DeleteBatch.PROPERTY, one);
            });
            if (done.getException() != null) {
                throw CamelExecutionException.wrapCamelExecutionException(done, done.getException());
            }
            return null;
        });
    }

    /** A batch through the delete-objects route: its answer is each key's result. */
    @SuppressWarnings("unchecked")
    static List<DeleteResult> deleteBatch(ProducerTemplate producer, DeleteBatch batch) {
        return producer.requestBody("direct:delete-objects", batch, List.class);
    }

    /** Whether migration.remove lets passes delete the target keys the source lacks. */
    public boolean removes() {
        return remove;
    }

    /** The note of a pass with errors that found extra target keys: none is deleted. */
    public static String notDeletedAfterErrors(long candidates, List<String> sample) {
        return candidates + " target objects the source lacks" + KeySample.eg(sample, candidates) + " were not deleted: the pass had errors, and deleting after errors "
                + "could remove what a failed listing or copy missed. Fix the errors and re-run.";
    }

    /** The report's reason for extras kept after a pass with errors (beside the note of {@link #notDeletedAfterErrors}). */
    public static final String KEPT_AFTER_ERRORS = "not deleted though migration.remove=true: the pass had errors";

    /** The report's reason for extras kept because there were more than migration.max-delete. */
    public String keptOverLimit() {
        return "not deleted though migration.remove=true: more than " + Setting.MAX_DELETE.key() + "=" + maxDelete;
    }

    /** The pass error when a pass would delete more than migration.max-delete; empty when the deletes are within it. */
    public Optional<String> overLimit(BucketMapping mapping, long candidates, List<String> sample) {
        if (maxDelete < 0 || candidates <= maxDelete) {
            return Optional.empty();
        }
        return Optional.of(candidates + " objects in " + mapping.describeTarget() + " are not in source bucket " + mapping.sourceBucket()
                + KeySample.eg(sample, candidates) + ", more than " + Setting.MAX_DELETE.key() + "=" + maxDelete + "; nothing was deleted. Check the mapping, then raise "
                + Setting.MAX_DELETE.key() + " if these deletes are intended.");
    }

    /**
     * The copy-bucket route's last step: deletes the extras the pass found, unless a settling join follows it (it
     * deferred the looks after its writes), in which case {@link SettlingJoin} deletes after that join, with the extras
     * the join found; and never in the settling join's own route (the pass it settles deletes).
     */
    public void removeExtras(@ExchangeProperty(CopyPass.PROPERTY) CopyPass pass) {
        if (pass.settlingRound() || pass.closeDeferrals() > 0) {
            return;
        }
        deleteExtras(pass, pass.extraKeys());
    }

    /**
     * Deletes the candidates the pass found and the source still lacks, when migration.remove and the pass allow it and
     * the pass (both of its rounds, where it settled its writes) ran cleanly.
     */
    void deleteExtras(CopyPass pass, ExtraKeys extraKeys) {
        PassStats stats = pass.stats();
        DryRun dryRun = pass.dryRun();
        long candidates = extraKeys.count();
        if (!pass.deletes() || candidates == 0) {
            return;
        }
        if (!remove) {
            if (dryRun != null) {
                extraKeys.forEach(key -> dryRun.kept(key, Setting.REMOVE.key() + "=false"));
            }
            return;
        }
        BucketMapping mapping = pass.mapping();
        if (!stats.clean()) {
            stats.note(notDeletedAfterErrors(candidates, stats.extraSample.keys()));
            keep(stats, dryRun, extraKeys, KEPT_AFTER_ERRORS);
            return;
        }
        if (brakeHolds.getAsBoolean()) {
            stats.note(candidates + " target objects the source lacks were not deleted: the delete brake holds the deletes events asked "
                    + "for (migration.events.max-deletes); release it over JMX (SyncStatus.releaseDeletes) and the next pass deletes them");
            keep(stats, dryRun, extraKeys, "not deleted though migration.remove=true: the delete brake holds (migration.events.max-deletes)");
            return;
        }
        Optional<String> tooMany = overLimit(mapping, candidates, stats.extraSample.keys());
        if (tooMany.isPresent()) {
            if (dryRun == null) {
                stats.passError(tooMany.get());
            } else {
                // the dry run itself went well: what the real pass would stop with is a note, not its error
                stats.note("a real pass would stop here: " + tooMany.get());
            }
            keep(stats, dryRun, extraKeys, keptOverLimit());
            return;
        }
        List<String> keys = new ArrayList<>(TargetStore.MAX_DELETE_KEYS);
        List<ReentrantLock> held = new ArrayList<>(TargetStore.MAX_DELETE_KEYS);
        try {
            extraKeys.forEach(key -> {
                ReentrantLock lock = locks.of(mapping.targetBucket(), mapping.targetKey(key));
                lock.lock();
                boolean batched = false;
                try {
                    if (source.exists(mapping.sourceBucket(), key)) {
                        stats.note("'" + key + "' is in the source after all (written during the pass, or listed in another order); kept");
                        if (dryRun != null) {
                            dryRun.kept(key, "in the source after all when asked again (written during the pass)");
                        }
                        return;
                    }
                    if (dryRun != null) {
                        dryRun.wouldDelete(key); // the one place a dry run's deletes stop: decided, recorded, not sent
                        return;
                    }
                    keys.add(key);
                    held.add(lock); // held until the key's batch is sent and its result recorded
                    batched = true;
                } catch (RuntimeException e) {
                    stats.failed(key, "could not delete from the target: " + StoreException.describe(e));
                } finally {
                    if (!batched) {
                        lock.unlock();
                    }
                }
                if (keys.size() == TargetStore.MAX_DELETE_KEYS) {
                    sendBatch(pass, keys, held);
                }
            });
            if (!keys.isEmpty()) {
                sendBatch(pass, keys, held);
            }
        } finally {
            held.forEach(ReentrantLock::unlock); // a spool that could not be read further: its batch is not sent
        }
    }

    /**
     * Sends one batch through the delete-objects route (holding one transfer slot) and records each key's result, then
     * lets go of the keys' locks: deleted, and copied again where it came back meanwhile; or failed with the store's reason.
     */
    private void sendBatch(CopyPass pass, List<String> keys, List<ReentrantLock> held) {
        BucketMapping mapping = pass.mapping();
        PassStats stats = pass.stats();
        try {
            DeleteBatch batch = new DeleteBatch(mapping, keys);
            List<DeleteResult> results;
            try {
                results = slots.holding(() -> sender.apply(batch));
            } catch (RuntimeException e) {
                String reason = StoreException.describe(e);
                results = keys.stream().map(key -> new DeleteResult(mapping, key, reason)).toList();
            }
            Set<String> answered = new HashSet<>();
            for (DeleteResult result : results) {
                String key = result.key();
                if (!answered.add(key)) {
                    continue;
                }
                if (!result.deleted()) {
                    stats.failed(key, "could not delete from the target: " + result.reason());
                    continue;
                }
                stats.deletedObjects.increment();
                LOG.debug("deleted {}/{}", mapping.targetBucket(), mapping.targetKey(key));
                try {
                    // written meanwhile, and copied by another instance just before the delete landed: copy it again
                    recheck.reappeared(mapping, key).ifPresent(now -> ObjectCopier.throughRoute(producer, Difference.sourceOnly(now, false), pass));
                } catch (RuntimeException e) {
                    stats.failed(key, "could not delete from the target: " + StoreException.describe(e));
                }
            }
            keys.stream().filter(key -> !answered.contains(key))
                    .forEach(key -> stats.failed(key, "could not delete from the target: the delete-objects route gave no result for it"));
        } finally {
            held.forEach(ReentrantLock::unlock);
            held.clear();
            keys.clear();
        }
    }

    /** The extras kept though migration.remove=true, with why: in the pass's count, and key by key in a dry run's record. */
    private static void keep(PassStats stats, DryRun dryRun, ExtraKeys extraKeys, String why) {
        stats.extrasKept(why);
        if (dryRun != null) {
            extraKeys.forEach(key -> dryRun.kept(key, why));
        }
    }
}
