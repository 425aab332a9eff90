package io.github.miniomigrator.listing;

import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * The merge-join of two stores' listings, shard by shard (key ranges or directories), several at once: each shard's
 * two listings are read ahead side by side, cut to the shard, checked for order and merge-joined on their own. A key
 * belongs to one shard whichever order a store lists in, so every key is found exactly once, and the guarantees of
 * {@link MergeJoin} and {@link OrderCheckedListing} hold within each shard and so for the whole.
 */
public final class RangedMergeJoin {
    /**
     * A store's listing of the mapping's keys that start with {@code prefix}, from after a key (null: from the first);
     * {@code delimited}: with delimiter '/', its objects only (the common prefixes left out).
     */
    public interface Lister {
        Iterator<ListingEntry> list(String prefix, String after, boolean delimited);

        /** The object at the key now (a HEAD), or empty. */
        default Optional<ListingEntry> head(String key) {
            return Optional.empty();
        }
    }

    private RangedMergeJoin() {
    }

    /**
     * @param readAhead entries read ahead per listing, and findings waiting to be taken: memory is bounded by
     *        ({@code 2 * threads + 1}) times this, whatever the bucket size
     */
    public static ParallelRanges<Difference> start(List<? extends Shard> ranges, int threads, int readAhead, Lister source, String sourceName,
            Lister target, String targetName) {
        return new ParallelRanges<>(ranges, threads, readAhead, "join",
                range -> walk(range, readAhead, source, sourceName, target, targetName));
    }

    /**
     * A directory's listing, with the directory's own folder object first where the store left it out: S3Proxy's
     * filesystem store lists no folder object under its own prefix ("scan/" under "scan/"), so it is looked up (it sorts
     * before every other key of the directory, in either order). Without this the folder object would be missed on both
     * sides, or called an extra and deleted.
     */
    private static Iterator<ListingEntry> folderFirst(Lister store, Shard shard) {
        Iterator<ListingEntry> listing = store.list(shard.prefix(), shard.startAfter(), shard.delimited());
        if (!(shard instanceof DirectoryShard) || shard.prefix().isEmpty()) {
            return listing;
        }
        return new Lookahead<>() {
            private boolean first = true;
            private ListingEntry held;

            @Override
            protected ListingEntry advance() {
                if (first) {
                    first = false;
                    ListingEntry head = listing.hasNext() ? listing.next() : null;
                    if (head == null || !head.key().equals(shard.prefix())) {
                        held = head;
                        Optional<ListingEntry> folder = store.head(shard.prefix());
                        if (folder.isPresent()) {
                            return folder.get();
                        }
                    } else {
                        return head;
                    }
                }
                if (held != null) {
                    ListingEntry next = held;
                    held = null;
                    return next;
                }
                return listing.hasNext() ? listing.next() : null;
            }
        };
    }

    private static ParallelRanges.RangeWalk<Difference> walk(Shard range, int readAhead, Lister source, String sourceName, Lister target,
            String targetName) {
        ReadAheadListing sourceListing = new ReadAheadListing(
                new ShardListing(folderFirst(source, range), range, sourceName), readAhead, "source");
        ReadAheadListing targetListing;
        try {
            targetListing = new ReadAheadListing(new ShardListing(folderFirst(target, range), range, targetName), readAhead, "target");
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
