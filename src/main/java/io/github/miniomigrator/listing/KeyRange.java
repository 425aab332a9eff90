package io.github.miniomigrator.listing;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A slice of a bucket's key space: the keys after {@code after} up to and including {@code upTo} (null: open on that
 * side), keys relative to the mapping. Boundaries hold no character from U+D800 up, so a key falls on the same side of
 * them in UTF-8 and in UTF-16 order: every store, whichever order it lists in, puts the same keys in the same range,
 * and a listing that starts after {@code after} (S3's start-after) and stops at the first key beyond {@code upTo} reads
 * exactly this range. {@link RangePlanner} cuts a bucket into ranges where it has no directories to split by.
 */
public record KeyRange(@JsonProperty("after") String after, @JsonProperty("upTo") String upTo) implements Shard {
    /** The whole key space. */
    public static final KeyRange ALL = new KeyRange(null, null);
    private static final ObjectMapper JSON = new ObjectMapper();

    @JsonCreator
    public KeyRange {
        checkBoundary(after);
        checkBoundary(upTo);
        if (after != null && upTo != null && KeyOrder.compareCodePoints(after, upTo) >= 0) {
            throw new IllegalArgumentException("a key range must end after it starts: after '" + after + "', up to '" + upTo + "'");
        }
    }

    private static void checkBoundary(String boundary) {
        if (boundary != null && KeyOrder.mayOrderDifferently(boundary)) {
            throw new IllegalArgumentException("a range boundary may not hold characters from U+D800 up (the two key orders would "
                    + "place keys differently around it): '" + boundary + "'");
        }
    }

    /** Whether the key is in this range; the same answer in either key order. */
    @Override
    public boolean contains(String key) {
        return !beforeOrAtStart(key) && !beyondEnd(key);
    }

    /** The key sorts at or before {@code after}: a listing that starts after it must never show it. */
    public boolean beforeOrAtStart(String key) {
        return after != null && KeyOrder.compareCodePoints(key, after) <= 0;
    }

    /** The key sorts after {@code upTo}: a listing of this range ends before it. */
    public boolean beyondEnd(String key) {
        return upTo != null && KeyOrder.compareCodePoints(key, upTo) > 0;
    }

    /**
     * What every key of the range starts with: the two boundaries' common prefix (keys between two strings that share
     * a prefix share it too). Listing under it lets a store that walks directories (MinIO, S3Proxy) read only the
     * range's part of the bucket; "" for a range open on either side.
     */
    @JsonIgnore
    public String commonPrefix() {
        if (after == null || upTo == null) {
            return "";
        }
        int n = 0;
        int max = Math.min(after.length(), upTo.length());
        while (n < max && after.charAt(n) == upTo.charAt(n)) {
            n++;
        }
        return after.substring(0, n);
    }

    @Override
    @JsonIgnore
    public String prefix() {
        return commonPrefix();
    }

    @Override
    @JsonIgnore
    public String startAfter() {
        return after;
    }

    @Override
    @JsonIgnore
    public boolean delimited() {
        return false;
    }

    /** A key at or before the start: the store ignored start-after, and would hand the key to two ranges. */
    @Override
    public void check(String key, String listing) {
        if (beforeOrAtStart(key)) {
            throw new ListingOrderException("the listing of " + listing + " was asked to start after '" + after + "' and showed '"
                    + key + "'; the pass stopped without deleting anything. The store ignores start-after: set "
                    + "migration.listing.split=none to list it in one piece.");
        }
    }

    @Override
    public boolean beyond(String key) {
        return beyondEnd(key);
    }

    /** A stable, human-readable name: the two boundaries. */
    @Override
    public String name() {
        return "(" + (after == null ? "start" : "'" + after + "'") + ", " + (upTo == null ? "end" : "'" + upTo + "'") + "]";
    }

    /** The stable serialised form, e.g. {"after":"dir01","upTo":"dir02"}. */
    @Override
    public String encode() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise key range " + name(), e);
        }
    }

    public static KeyRange decode(String json) {
        try {
            return JSON.readValue(json, KeyRange.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a key range: " + json + " (" + e.getOriginalMessage() + ")", e);
        }
    }

    @Override
    public String toString() {
        return name();
    }
}
