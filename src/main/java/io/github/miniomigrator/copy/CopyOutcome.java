package io.github.miniomigrator.copy;

import io.github.miniomigrator.listing.ListingEntry;

/**
 * What one copy of a key did: wrote the source object as it read it (its size and ETag in {@code read}), found the key
 * gone from the source (nothing written), or failed (recorded in the pass).
 */
record CopyOutcome(ListingEntry read, boolean failed) {
    static final CopyOutcome GONE = new CopyOutcome(null, false);
    static final CopyOutcome FAILED = new CopyOutcome(null, true);

    static CopyOutcome copied(ListingEntry read) {
        return new CopyOutcome(read, false);
    }

    boolean copied() {
        return read != null;
    }
}
