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
    private final TransferSlots slots;

    /** @param slots the process's bound on transfers in flight: a sync holds one (after the key's lock) from its look at the source on */
    public KeySync(ProducerTemplate producer, Retry retry, SourceStore source, CopyDecision decision, KeyLocks locks, WriteRecheck recheck,
            boolean remove, SyncStatus status, List<BucketMapping> mappings, TransferSlots slots) {
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

    /** @return whether the target key now matches the source (false: the sync failed, events on it are not converged) */
    public boolean converge(@Body ObjectChange change) {
        CopyPass pass = passes.get(change.bucket());
        if (pass == null) {
            status.ignored();
            return true;
        }
        BucketMapping mapping = pass.mapping();
        ReentrantLock lock = locks.of(mapping.targetBucket(), mapping.targetKey(change.key()));
        lock.lock();
        try (TransferSlots.Slot slot = slots.take()) {
            boolean converged = true;
            Optional<ListingEntry> now = source.stat(mapping.sourceBucket(), change.key());
            if (now.isEmpty() && remove) {
                ExtraObjectRemover.deleteTarget(producer, retry, mapping, change.key());
                now = recheck.reappeared(mapping, change.key());
            }
            if (now.isPresent()) {
                Difference difference = Difference.sourceOnly(now.get(), true);
                if (CopyDecision.COPY.equals(decision.decide(difference, pass))) {
                    converged = ObjectCopier.throughRoute(producer, difference, pass);
                }
            }
            if (!converged) {
                status.failed();
                return false;
            }
            status.applied();
            return true;
        } catch (RuntimeException e) {
            status.failed();
            LOG.warn("could not sync {}/{}: {}", change.bucket(), change.key(), StoreException.describe(e));
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status.failed();
            return false;
        } finally {
            lock.unlock();
        }
    }
}
