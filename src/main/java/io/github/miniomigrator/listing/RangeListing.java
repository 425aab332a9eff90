package io.github.miniomigrator.listing;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * One range of a store's listing: the store was asked to start after the range's start; this ends the listing at the
 * first key beyond the range's end (so no page past it is requested) and stops the pass if the store shows a key
 * at or before the start — a store that ignored start-after would otherwise hand one key to two ranges.
 */
public final class RangeListing implements Iterator<ListingEntry> {
    private final Iterator<ListingEntry> listing;
    private final KeyRange range;
    private final String name;
    private ListingEntry next;
    private boolean ended;

    public RangeListing(Iterator<ListingEntry> listing, KeyRange range, String name) {
        this.listing = listing;
        this.range = range;
        this.name = name;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !ended) {
            if (!listing.hasNext()) {
                ended = true;
                return false;
            }
            ListingEntry entry = listing.next();
            if (range.beforeOrAtStart(entry.key())) {
                throw new ListingOrderException("the listing of " + name + " was asked to start after '" + range.after() + "' and showed '"
                        + entry.key() + "'; the pass stopped without deleting anything. The store ignores start-after: set "
                        + "migration.list-concurrency=1 to list it in one piece.");
            }
            if (range.beyondEnd(entry.key())) {
                ended = true;
                return false;
            }
            next = entry;
        }
        return next != null;
    }

    @Override
    public ListingEntry next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        ListingEntry entry = next;
        next = null;
        return entry;
    }
}
