package io.github.miniomigrator.events;

import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.copy.CopyDecision;
import io.github.miniomigrator.copy.CopyPass;
import io.github.miniomigrator.copy.ExtraObjectRemover;
import io.github.miniomigrator.copy.KeyLocks;
import io.github.miniomigrator.copy.ObjectCopier;
import io.github.miniomigrator.copy.TransferSlots;
import io.github.miniomigrator.copy.WriteRecheck;
import io.github.miniomigrator.listing.Difference;
import io.github.miniomigrator.listing.ListingEntry;
import io.github.miniomigrator.logging.FailureBursts;
import io.github.miniomigrator.store.Retry;
import io.github.miniomigrator.store.SourceStore;
import io.github.miniomigrator.store.StoreException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.apache.camel.Body;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync-on-event route's step: an event is a hint, the source is the truth. The key is looked up in the source
 * now; present, the target converges through the same decision and copy-object route as a full pass; absent, the
 * target object is deleted only with migration.remove=true. So a forged, repeated, reordered or stale event does no harm.
 * Where other instances write the same keys, a copy is looked after by copy-object and a delete here: a key back in
 * the source by the time the delete landed is copied again ({@link WriteRecheck}).
 */
public final class KeySync {
    private static final Logger LOG = LoggerFactory.getLogger(KeySync.class);
    private final ProducerTemplate producer;
    private final Retry retry;
    private final SourceStore source;
    private final CopyDecision decision;
    private final KeyLocks locks;
    private final WriteRecheck recheck;
    private final boolean remove;
    private final SyncStatus status;
    private final Map<String, CopyPass> passes;
    private final EventFailureFile failures;
    private final TransferSlots slots;

    /** @param slots the process's bound on transfers in flight: a sync holds one (after the key's lock) from its look at the source on */
    public KeySync(ProducerTemplate producer, Retry retry, SourceStore source, CopyDecision decision, KeyLocks locks, WriteRecheck recheck,
            boolean remove, SyncStatus status, List<BucketMapping> mappings, EventFailureFile failures, TransferSlots slots) {
        this.failures = failures;
        this.slots = slots;
        this.recheck = recheck;
        this.producer = producer;
        this.retry = retry;
        this.source = source;
        this.decision = decision;
        this.locks = locks;
        this.remove = remove;
        this.status = status;
        this.passes = mappings.stream().collect(Collectors.toMap(BucketMapping::sourceBucket, CopyPass::new, (a, b) -> a));
    }

    /** The long-lived pass of each mapping that event syncs count into. */
    public Collection<CopyPass> passes() {
        return passes.values();
    }

    /**
     * @return CONVERGED when the target key now matches the source; FAILED when the sync failed (the key stays owed and
     *     is tried again); HELD when the source lacks the key and the delete brake holds its delete
     */
    public SyncOutcome converge(@Body ObjectChange change) {
        CopyPass pass = passes.get(change.bucket());
        if (pass == null) {
            status.ignored();
            return SyncOutcome.CONVERGED;
        }
        BucketMapping mapping = pass.mapping();
        ReentrantLock lock = locks.of(mapping.targetBucket(), mapping.targetKey(change.key()));
        lock.lock();
        try (TransferSlots.Slot slot = slots.take()) {
            Optional<ListingEntry> now = source.stat(mapping.sourceBucket(), change.key());
            if (now.isEmpty() && remove) {
                if (!status.brake().admit()) {
                    return SyncOutcome.HELD;
                }
                ExtraObjectRemover.deleteTarget(producer, retry, mapping, change.key());
                pass.stats().deletedObjects.increment();
                status.deleted();
                now = recheck.reappeared(mapping, change.key());
            }
            if (now.isPresent()) {
                Difference difference = Difference.sourceOnly(now.get(), true);
                String action = decision.decide(difference, pass);
                if (CopyDecision.FAILED.equals(action)) {
                    return failed(change, pass.stats().lastFailure(), false); // decide counted and logged it
                }
                if (CopyDecision.COPY.equals(action) && !ObjectCopier.throughRoute(producer, difference, pass)) {
                    return failed(change, pass.stats().lastFailure(), false); // the copier counted and logged it
                }
            }
            status.applied();
            failures.converged(change);
            return SyncOutcome.CONVERGED;
        } catch (RuntimeException e) {
            String reason = StoreException.describe(e);
            pass.stats().failed(change.key(), "could not sync: " + reason);
            return failed(change, reason, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(change, "interrupted", false);
        } finally {
            lock.unlock();
        }
    }

    private SyncOutcome failed(ObjectChange change, String reason, boolean log) {
        status.failed(reason);
        failures.failed(change, reason);
        if (log) {
            FailureBursts.failed(LOG, "syncs", "each stays owed and is tried again (the status line counts them)",
                    "could not sync " + change.bucket() + "/" + change.key() + ": " + reason, reason);
        }
        return SyncOutcome.FAILED;
    }
}
