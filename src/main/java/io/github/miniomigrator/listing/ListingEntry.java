package io.github.miniomigrator.listing;

import java.time.Instant;
import java.util.Locale;

/**
 * One object as a listing shows it: key (relative to the mapping's prefix), size, ETag without quotes, and its
 * last-modified time where the listing gave one (null where not: reports show it, no decision rests on it).
 */
public record ListingEntry(String key, long size, String etag, Instant modified) {

    public ListingEntry {
        etag = normalizeEtag(etag);
    }

    public ListingEntry(String key, long size, String etag) {
        this(key, size, etag, null);
    }

    public static String normalizeEtag(String etag) {
        if (etag == null) {
            return "";
        }
        String e = etag.trim();
        if (e.startsWith("\"") && e.endsWith("\"") && e.length() >= 2) {
            e = e.substring(1, e.length() - 1);
        }
        return e.toLowerCase(Locale.ROOT);
    }

    /** A single-part, unencrypted upload's ETag is the hex MD5 of the bytes; a multipart one is "md5-parts". */
    public boolean etagIsMd5() {
        return isMd5Hex(etag);
    }

    public static boolean isMd5Hex(String etag) {
        if (etag == null || etag.length() != 32) {
            return false;
        }
        for (int i = 0; i < 32; i++) {
            char c = etag.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
