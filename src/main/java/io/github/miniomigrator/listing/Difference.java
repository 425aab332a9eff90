package io.github.miniomigrator.listing;

/**
 * What the merge-join found for one key. {@code unsure} marks a one-sided finding that a point lookup on the other
 * side must confirm: the two stores may order that key differently, so it may yet exist there.
 */
public record Difference(Side side, String key, ListingEntry source, ListingEntry target, boolean unsure) {

    public enum Side {
        SOURCE_ONLY, TARGET_ONLY, BOTH
    }

    public static Difference sourceOnly(ListingEntry source, boolean unsure) {
        return new Difference(Side.SOURCE_ONLY, source.key(), source, null, unsure);
    }

    static Difference targetOnly(ListingEntry target, boolean unsure) {
        return new Difference(Side.TARGET_ONLY, target.key(), null, target, unsure);
    }

    static Difference both(ListingEntry source, ListingEntry target) {
        return new Difference(Side.BOTH, source.key(), source, target, false);
    }
}
