package io.github.miniomigrator.listing;

/** What a range planner may ask a store about a bucket's keys: cheap questions, one small listing request each. */
public interface KeySpace {
    /** The first key that starts with {@code prefix} and sorts after {@code after} (null: the first), or null when none does. */
    String firstKeyAfter(String prefix, String after);

    /** Whether the bucket holds at least this many keys (one listing page at most). */
    boolean holdsAtLeast(int keys);
}
