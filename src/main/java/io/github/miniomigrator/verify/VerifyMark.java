package io.github.miniomigrator.verify;

import io.github.miniomigrator.listing.ListingEntry;
import java.time.Instant;

/**
 * One marked key as verify's page shows it: its marker, the key, why (when there is more to say) and what is known of
 * each side (null where that side has no such object or was not read).
 */
public record VerifyMark(char marker, String key, String why, Side source, Side target) {

    /** An object's size and, where its listing gave one, its last-modified time. */
    public record Side(long size, Instant modified) {

        /** The side a listing entry shows; null for none. */
        public static Side of(ListingEntry entry) {
            return entry == null ? null : new Side(entry.size(), entry.modified());
        }

        /** A side known by its size only (a HEAD's answer). */
        public static Side ofSize(long size) {
            return new Side(size, null);
        }
    }
}
