package io.github.miniomigrator.copy;

import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.listing.Difference;
import io.github.miniomigrator.listing.KeyRange;
import io.github.miniomigrator.listing.ParallelRanges;
import io.github.miniomigrator.listing.RangePlanner;
import io.github.miniomigrator.listing.RangedMergeJoin;
import io.github.miniomigrator.store.SourceStore;
import io.github.miniomigrator.store.TargetStore;
import java.util.Iterator;
import java.util.List;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The split expression of copy-bucket: the key space is split into ranges (from a few probes of the source), and
 * each range's source and target listings are merge-joined on their own, {@code listingConcurrency} ranges at once.
 * Every range is exact on its own, so together they find each key once.
 */
public final class PassPlanner {
    private static final Logger LOG = LoggerFactory.getLogger(PassPlanner.class);
    /** Two pages of each listing: enough to keep both stores busy, bounded whatever the bucket size. */
    static final int READ_AHEAD = 2000;
    /** Ranges per listing thread: enough that a large range does not leave the others idle at the end. */
    private static final int RANGES_PER_THREAD = 4;
    private final SourceStore source;
    private final TargetStore target;
    private final int listingConcurrency;

    public PassPlanner(SourceStore source, TargetStore target, int listingConcurrency) {
        this.source = source;
        this.target = target;
        this.listingConcurrency = listingConcurrency;
    }

    public Iterator<Difference> differences(@ExchangeProperty(CopyPass.PROPERTY) CopyPass pass) {
        BucketMapping mapping = pass.mapping();
        RangePlanner planner = new RangePlanner(listingConcurrency == 1 ? 1 : RANGES_PER_THREAD * listingConcurrency);
        List<KeyRange> ranges = planner.plan(source.keySpace(mapping.sourceBucket()));
        pass.stats().listedRanges(ranges.size());
        LOG.debug("{}: {} ranges from {} probes, listed {} at a time", mapping, ranges.size(), planner.probes(), listingConcurrency);
        ParallelRanges<Difference> join = pass.closeAfter(RangedMergeJoin.start(ranges, listingConcurrency, READ_AHEAD,
                (within, after) -> source.list(mapping.sourceBucket(), within, after), "source bucket " + mapping.sourceBucket(),
                (within, after) -> target.list(mapping.targetBucket(), mapping.targetPrefix(), within, after), "target " + mapping.describeTarget()));
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                if (pass.cancelled()) {
                    pass.stats().passError("stopped before the end of the listing; nothing was deleted. Run again to finish.");
                    return false;
                }
                return join.hasNext();
            }

            @Override
            public Difference next() {
                return join.next();
            }
        };
    }
}
