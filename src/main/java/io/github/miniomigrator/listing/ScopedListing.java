package io.github.miniomigrator.listing;

import java.util.Iterator;
import java.util.function.Predicate;

/**
 * A shard's listing with only the keys in the migration's scope (migration.include / migration.exclude): both sides of
 * a join pass through the same one before they meet, so a key out of scope is on neither side — not copied, not an
 * extra, never deleted, not reported. It sits behind the shard's cut (a listing still ends at the shard's last key,
 * whatever is out of scope beyond it) and on the read-ahead's thread.
 */
final class ScopedListing extends Lookahead<ListingEntry> {
    private final Iterator<ListingEntry> listing;
    private final Predicate<String> inScope;

    ScopedListing(Iterator<ListingEntry> listing, Predicate<String> inScope) {
        this.listing = listing;
        this.inScope = inScope;
    }

    @Override
    protected ListingEntry advance() {
        while (listing.hasNext()) {
            ListingEntry entry = listing.next();
            if (inScope.test(entry.key())) {
                return entry;
            }
        }
        return null;
    }
}
