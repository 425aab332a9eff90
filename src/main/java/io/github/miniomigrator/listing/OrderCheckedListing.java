package io.github.miniomigrator.listing;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Passes a listing through while checking that it is sorted in one of the two key orders a store may use; stops the
 * pass with an error the moment it is in neither, before any decision could be taken on a wrong order.
 */
public final class OrderCheckedListing implements Iterator<ListingEntry> {
    private final Iterator<ListingEntry> listing;
    private final String name;
    private String previous;
    private boolean utf8Sorted = true;
    private boolean utf16Sorted = true;

    public OrderCheckedListing(Iterator<ListingEntry> listing, String name) {
        this.listing = listing;
        this.name = name;
    }

    @Override
    public boolean hasNext() {
        return listing.hasNext();
    }

    @Override
    public ListingEntry next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        ListingEntry entry = listing.next();
        String key = entry.key();
        if (previous != null) {
            int utf8 = KeyOrder.compareCodePoints(previous, key);
            if (utf8 == 0) {
                throw new ListingOrderException("the listing of " + name + " repeated the key '" + key
                        + "'; the pass stopped without deleting anything. Re-run; if it repeats, the store's listing is broken.");
            }
            utf8Sorted &= utf8 < 0;
            utf16Sorted &= previous.compareTo(key) < 0;
            if (!utf8Sorted && !utf16Sorted) {
                throw new ListingOrderException("the listing of " + name + " is out of order: '" + key + "' came after '" + previous
                        + "'; the pass stopped without deleting anything. Re-run; if it repeats, the store's listing is broken.");
            }
        }
        previous = key;
        return entry;
    }
}
