package io.github.miniomigrator.listing;

import java.util.Iterator;
import java.util.List;

/**
 * The merge-join of two stores' listings, range by range, several ranges at once: each range's two listings are read
 * ahead side by side, cut to the range, checked for order and merge-joined on their own. A key belongs to one range
 * whichever order a store lists in, so every key is found exactly once, and the guarantees of {@link MergeJoin} and
 * {@link OrderCheckedListing} hold within each range and so for the whole.
 */
public final class RangedMergeJoin {
    /** A store's listing of the mapping's keys that start with {@code prefix}, from after a key (null: from the first). */
    public interface Lister {
        Iterator<ListingEntry> list(String prefix, String after);
    }

    private RangedMergeJoin() {
    }

    /**
     * @param readAhead entries read ahead per listing, and findings waiting to be taken: memory is bounded by
     *        ({@code 2 * threads + 1}) times this, whatever the bucket size
     */
    public static ParallelRanges<Difference> start(List<KeyRange> ranges, int threads, int readAhead, Lister source, String sourceName,
            Lister target, String targetName) {
        return new ParallelRanges<>(ranges, threads, readAhead, "join",
                range -> walk(range, readAhead, source, sourceName, target, targetName));
    }

    private static ParallelRanges.RangeWalk<Difference> walk(KeyRange range, int readAhead, Lister source, String sourceName, Lister target,
            String targetName) {
        ReadAheadListing sourceListing = new ReadAheadListing(
                new RangeListing(source.list(range.commonPrefix(), range.after()), range, sourceName), readAhead, "source");
        ReadAheadListing targetListing;
        try {
            targetListing = new ReadAheadListing(new RangeListing(target.list(range.commonPrefix(), range.after()), range, targetName), readAhead, "target");
        } catch (RuntimeException e) {
            sourceListing.close();
            throw e;
        }
        MergeJoin join;
        try {
            join = new MergeJoin(new OrderCheckedListing(sourceListing, sourceName), new OrderCheckedListing(targetListing, targetName));
        } catch (RuntimeException e) {
            sourceListing.close();
            targetListing.close();
            throw e;
        }
        return new ParallelRanges.RangeWalk<>() {
            @Override
            public boolean hasNext() {
                return join.hasNext();
            }

            @Override
            public Difference next() {
                return join.next();
            }

            @Override
            public void close() {
                sourceListing.close();
                targetListing.close();
            }
        };
    }
}
