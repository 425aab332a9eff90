package io.github.miniomigrator.listing;

import java.util.Iterator;

/**
 * One shard of a store's listing: the store was asked for the shard's prefix (from after its start, with or without
 * the delimiter); this ends the listing at the first key beyond the shard (so no page past it is requested) and stops
 * the pass at a key the store should not have shown — a store that ignored start-after, the prefix or the delimiter
 * would otherwise hand one key to two shards.
 */
public final class ShardListing extends Lookahead<ListingEntry> {
    private final Iterator<ListingEntry> listing;
    private final Shard shard;
    private final String name;

    public ShardListing(Iterator<ListingEntry> listing, Shard shard, String name) {
        this.listing = listing;
        this.shard = shard;
        this.name = name;
    }

    @Override
    protected ListingEntry advance() {
        while (listing.hasNext()) {
            ListingEntry entry = listing.next();
            shard.check(entry.key(), name);
            if (shard.beyond(entry.key())) {
                return null;
            }
            if (!shard.skips(entry.key())) {
                return entry;
            }
        }
        return null;
    }
}
