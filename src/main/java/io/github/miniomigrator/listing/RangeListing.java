package io.github.miniomigrator.listing;

import java.util.Iterator;

/**
 * One range of a store's listing: the store was asked to start after the range's start; this ends the listing at the
 * first key beyond the range's end (so no page past it is requested) and stops the pass if the store shows a key
 * at or before the start — a store that ignored start-after would otherwise hand one key to two ranges.
 */
public final class RangeListing extends Lookahead<ListingEntry> {
    private final Iterator<ListingEntry> listing;
    private final KeyRange range;
    private final String name;

    public RangeListing(Iterator<ListingEntry> listing, KeyRange range, String name) {
        this.listing = listing;
        this.range = range;
        this.name = name;
    }

    @Override
    protected ListingEntry advance() {
        if (!listing.hasNext()) {
            return null;
        }
        ListingEntry entry = listing.next();
        if (range.beforeOrAtStart(entry.key())) {
            throw new ListingOrderException("the listing of " + name + " was asked to start after '" + range.after() + "' and showed '"
                    + entry.key() + "'; the pass stopped without deleting anything. The store ignores start-after: set "
                    + "migration.listing.concurrency=1 to list it in one piece.");
        }
        return range.beyondEnd(entry.key()) ? null : entry;
    }
}
