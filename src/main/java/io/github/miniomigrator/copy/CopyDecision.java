package io.github.miniomigrator.copy;

import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.listing.Difference;
import io.github.miniomigrator.listing.ListingEntry;
import io.github.miniomigrator.store.StoreException;
import io.github.miniomigrator.store.TargetObject;
import io.github.miniomigrator.store.TargetStore;
import java.util.Optional;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import io.github.miniomigrator.logging.FailureBursts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides per key what the pass does: COPY, or SKIP (identical, or an extra target key queued for deletion after the
 * pass). The listings decide where they can (size, plain-MD5 ETags); a HEAD of the target object, reading the source
 * ETag and MD5 stored at copy time, decides the rest.
 */
public final class CopyDecision {
    public static final String HEADER = "MigrationAction";
    public static final String COPY = "COPY";
    public static final String SKIP = "SKIP";
    /** The comparison failed (counted in the pass as a failed object): not copied, as SKIP, but not the same either. */
    public static final String FAILED = "FAILED";
    private static final Logger LOG = LoggerFactory.getLogger(CopyDecision.class);

    private final TargetStore target;
    private final io.github.miniomigrator.store.SourceStore source;
    private final boolean remove;

    public CopyDecision(io.github.miniomigrator.store.SourceStore source, TargetStore target, boolean remove) {
        this.source = source;
        this.target = target;
        this.remove = remove;
    }

    public String decide(@Body Difference difference, @ExchangeProperty(CopyPass.PROPERTY) CopyPass pass) {
        PassStats stats = pass.stats();
        try {
            return switch (difference.side()) {
                case SOURCE_ONLY -> {
                    count(stats, difference.source(), null);
                    if (pass.onlyKeysTheTargetHolds()) {
                        yield SKIP; // a settling join after a pass cut short: a key the pass never reached, left to the next pass
                    }
                    yield difference.unsure() ? compareWithHead(difference.source(), pass) : COPY;
                }
                case TARGET_ONLY -> {
                    count(stats, null, difference.target());
                    stats.extraObjects.increment();
                    stats.extraSample.add(difference.key());
                    pass.extraFound(difference.key());
                    // a dry run spools them with remove=false too, to list each as kept and why
                    if ((remove || pass.dryRun() != null) && pass.deletes()) {
                        pass.extraKeys().add(difference.key());
                    }
                    yield SKIP;
                }
                case BOTH -> {
                    count(stats, difference.source(), difference.target());
                    yield Identity.listingsProve(difference.source(), difference.target())
                            ? identical(stats, difference.source()) : compareWithHead(difference.source(), pass);
                }
            };
        } catch (RuntimeException e) {
            String reason = "could not compare with the target: " + StoreException.describe(e);
            stats.failed(difference.key(), reason);
            FailureBursts.failed(LOG, "comparisons with the target", "the report lists them", difference.key() + ": " + reason,
                    StoreException.describe(e));
            return FAILED;
        }
    }

    /**
     * Whether the listings alone prove a key the same on both sides (same size, same plain-MD5 ETag); such a key is
     * counted here, as {@link #decide} would count it, and needs no decision: the pass leaves it out before the route.
     */
    public static boolean countedIdentical(Difference difference, PassStats stats) {
        if (difference.side() != Difference.Side.BOTH || !Identity.listingsProve(difference.source(), difference.target())) {
            return false;
        }
        count(stats, difference.source(), difference.target());
        identical(stats, difference.source());
        return true;
    }

    private String compareWithHead(ListingEntry source, CopyPass pass) {
        BucketMapping mapping = pass.mapping();
        Optional<TargetObject> head = target.head(mapping.targetBucket(), mapping.targetKey(source.key()));
        if (head.isPresent() && Identity.recordedSame(source, head.get(), target.etags().md5())) {
            return identical(pass.stats(), source);
        }
        if (head.isPresent() && sourceRecordsTheTargetsMd5(mapping, source, head.get())) {
            return identical(pass.stats(), source);
        }
        if (head.isPresent()) {
            pass.stats().replacedObjects.increment();
        }
        return COPY;
    }

    /**
     * A source object uploaded in parts (its ETag no MD5) whose own metadata records its MD5, and a target object whose
     * ETag is the MD5 of its bytes (the target's ETags are MD5s) and equals it: the same bytes. The fallback direction
     * meets this for every object the forward copy sent up in parts (the target — now read — holds md5chksum, MinIO's copy a
     * plain MD5): without this look each would be read and written back on every pass.
     */
    private boolean sourceRecordsTheTargetsMd5(BucketMapping mapping, ListingEntry listed, TargetObject head) {
        if (listed.size() != head.size() || listed.size() == 0 || listed.etagIsMd5() || !target.etags().md5()
                || !ListingEntry.isMd5Hex(ListingEntry.normalizeEtag(head.etag()))) {
            return false;
        }
        String targetMd5 = ListingEntry.normalizeEtag(head.etag());
        return source.recordedMd5Hex(mapping.sourceBucket(), listed.key()).map(targetMd5::equalsIgnoreCase).orElse(false);
    }

    private static String identical(PassStats stats, ListingEntry source) {
        stats.identicalObjects.increment();
        stats.identicalBytes.add(source.size());
        return SKIP;
    }

    private static void count(PassStats stats, ListingEntry source, ListingEntry target) {
        if (source != null) {
            stats.sourceObjects.increment();
            stats.sourceBytes.add(source.size());
        }
        if (target != null) {
            stats.targetObjects.increment();
            stats.targetBytes.add(target.size());
        }
    }
}
