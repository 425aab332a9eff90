package io.github.miniomigrator.listing;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * One forward pass over two sorted listings (rclone's march): each key comes out once, as source-only, target-only or
 * both, in constant memory. The walk uses code point (UTF-8) order. A key without characters from U+D800 up sits in the
 * same place in either order, so its finding is exact even when a store lists in UTF-16 order; a one-sided finding for
 * any other key is marked unsure, and the caller confirms it with a point lookup before acting on it.
 */
public final class MergeJoin implements Iterator<Difference> {
    private final Iterator<ListingEntry> source;
    private final Iterator<ListingEntry> target;
    private ListingEntry sourceHead;
    private ListingEntry targetHead;
    private final boolean sourceEmpty;
    private final boolean targetEmpty;

    public MergeJoin(Iterator<ListingEntry> source, Iterator<ListingEntry> target) {
        this.source = source;
        this.target = target;
        this.sourceHead = source.hasNext() ? source.next() : null;
        this.targetHead = target.hasNext() ? target.next() : null;
        this.sourceEmpty = sourceHead == null;
        this.targetEmpty = targetHead == null;
    }

    @Override
    public boolean hasNext() {
        return sourceHead != null || targetHead != null;
    }

    @Override
    public Difference next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        int order = sourceHead == null ? 1 : targetHead == null ? -1 : KeyOrder.compareCodePoints(sourceHead.key(), targetHead.key());
        Difference difference;
        if (order == 0) {
            difference = Difference.both(sourceHead, targetHead);
            sourceHead = advance(source);
            targetHead = advance(target);
        } else if (order < 0) {
            difference = Difference.sourceOnly(sourceHead, !targetEmpty && KeyOrder.mayOrderDifferently(sourceHead.key()));
            sourceHead = advance(source);
        } else {
            difference = Difference.targetOnly(targetHead, !sourceEmpty && KeyOrder.mayOrderDifferently(targetHead.key()));
            targetHead = advance(target);
        }
        return difference;
    }

    private static ListingEntry advance(Iterator<ListingEntry> listing) {
        return listing.hasNext() ? listing.next() : null;
    }
}
