package io.github.miniomigrator.listing;

import java.util.Collections;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

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
        return start(ranges, threads, readAhead, key -> true, source, sourceName, target, targetName);
    }

    /**
     * As {@link #start(List, int, int, Lister, String, Lister, String)}, each side's listing cut to the keys in scope
     * before the join ({@link ScopedListing}): a key out of scope is found on neither side.
     */
    public static ParallelRanges<Difference> start(List<? extends Shard> ranges, int threads, int readAhead, Predicate<String> inScope,
            Lister source, String sourceName, Lister target, String targetName) {
        return new ParallelRanges<>(ranges, threads, readAhead, "join",
                range -> walk(range, readAhead, inScope, source, sourceName, target, targetName));
    }

    /**
     * A directory's listing, with the directory's own folder object first where the store left it out: S3Proxy's
     * filesystem store lists no folder object under its own prefix ("scan/" under "scan/"), so it is looked up (it sorts
     * before every other key of the directory, in either order). Without this the folder object would be missed on both
     * sides, or called an extra and deleted.
     * <p>
     * The source is asked for every directory whose listing does not start with its folder object; the target only where
     * its listing cannot answer: where the source has the folder object ({@code sourceFolder}, told by the source's side
     * of the same directory), or where the target listed the directory one level up and now lists nothing under it (a
     * folder object alone). A target folder object left out beside other keys of an extra directory is found by the next
     * pass, once those are deleted; an extra not found is left, never deleted in error. So a pass over a target far away
     * costs a HEAD per folder object the source holds, not one per directory.
     * @param sourceFolder null on the source's side; on the target's, whether the source has the folder object
     * @param folderSeen completed with whether this side has the folder object, once its first entry is known
     */
    private static Iterator<ListingEntry> folderFirst(Lister store, Shard shard, CompletableFuture<Boolean> sourceFolder,
            CompletableFuture<Boolean> folderSeen) {
        if (!(shard instanceof DirectoryShard) || shard.prefix().isEmpty()) {
            folderSeen.complete(false);
            return store.list(shard.prefix(), shard.startAfter(), shard.delimited());
        }
        Iterator<ListingEntry> listing = store.list(shard.prefix(), shard.startAfter(), shard.delimited());
        return new Lookahead<>() {
            private boolean first = true;
            private ListingEntry held;

            @Override
            protected ListingEntry advance() {
                if (first) {
                    first = false;
                    try {
                        ListingEntry head = listing.hasNext() ? listing.next() : null;
                        if (head != null && head.key().equals(shard.prefix())) {
                            folderSeen.complete(true);
                            return head;
                        }
                        held = head;
                        boolean ask = sourceFolder == null || head == null || has(sourceFolder);
                        Optional<ListingEntry> folder = ask ? store.head(shard.prefix()) : Optional.empty();
                        folderSeen.complete(folder.isPresent());
                        if (folder.isPresent()) {
                            return folder.get();
                        }
                    } catch (RuntimeException e) {
                        folderSeen.complete(true); // the other side looks for itself; this one's failure ends the part
                        throw e;
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

    /** Waits for the source's side to know (a walk closed meanwhile interrupts the wait and ends this listing). */
    private static boolean has(CompletableFuture<Boolean> folder) {
        try {
            return folder.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the listing was closed", e);
        } catch (ExecutionException e) {
            return true;
        }
    }

    private static ParallelRanges.RangeWalk<Difference> walk(Shard range, int readAhead, Predicate<String> inScope, Lister source,
            String sourceName, Lister target, String targetName) {
        CompletableFuture<Boolean> sourceFolder = new CompletableFuture<>();
        ReadAheadListing sourceListing = new ReadAheadListing(new ScopedListing(
                new ShardListing(folderFirst(source, range, null, sourceFolder), range, sourceName), inScope), readAhead, "source");
        ReadAheadListing targetListing;
        try {
            // a directory the target had not got when the pass was planned is not asked for (DirectoryShard.onEmptyTarget)
            Iterator<ListingEntry> targetSide = range instanceof DirectoryShard directory && directory.targetEmpty()
                    ? Collections.emptyIterator() : folderFirst(target, range, sourceFolder, new CompletableFuture<>());
            targetListing = new ReadAheadListing(new ScopedListing(new ShardListing(targetSide, range, targetName), inScope), readAhead, "target");
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
