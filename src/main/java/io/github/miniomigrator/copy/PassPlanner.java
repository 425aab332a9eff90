package io.github.miniomigrator.copy;

import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.listing.Difference;
import io.github.miniomigrator.listing.MergeJoin;
import io.github.miniomigrator.listing.OrderCheckedListing;
import io.github.miniomigrator.listing.ReadAheadListing;
import io.github.miniomigrator.store.SourceStore;
import io.github.miniomigrator.store.TargetStore;
import java.util.Iterator;
import org.apache.camel.ExchangeProperty;

/** The split expression of copy-bucket: the merge-join of the source listing and the target listing under the prefix. */
public final class PassPlanner {
    /** Two pages of each listing: enough to keep both stores busy, bounded whatever the bucket size. */
    static final int READ_AHEAD = 2000;
    private final SourceStore source;
    private final TargetStore target;

    public PassPlanner(SourceStore source, TargetStore target) {
        this.source = source;
        this.target = target;
    }

    public Iterator<Difference> differences(@ExchangeProperty(CopyPass.PROPERTY) CopyPass pass) {
        BucketMapping mapping = pass.mapping();
        ReadAheadListing sourceListing = pass.closeAfter(new ReadAheadListing(source.list(mapping.sourceBucket()), READ_AHEAD, "source"));
        ReadAheadListing targetListing = pass.closeAfter(
                new ReadAheadListing(target.list(mapping.targetBucket(), mapping.targetPrefix()), READ_AHEAD, "target"));
        MergeJoin join = new MergeJoin(new OrderCheckedListing(sourceListing, "source bucket " + mapping.sourceBucket()),
                new OrderCheckedListing(targetListing, "target " + mapping.describeTarget()));
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
