package io.github.miniomigrator.listing;

import java.util.Set;

/** What a directory planner asks a store about a mapping's keys: one page of a listing with delimiter '/'. */
public interface Directories {
    /** Listings this long or longer (objects and prefixes together) are more than one page: too many to hold. */
    int ONE_PAGE = 1000;

    /**
     * The first page of the listing of {@code prefix} with delimiter '/' (keys relative to the mapping): whether any key
     * lies directly under it, and its child directories ({@code prefix + segment + '/'}); null when the listing holds
     * more than {@link #ONE_PAGE} entries.
     */
    Level level(String prefix);

    /** One directory as a delimiter listing shows it. */
    record Level(boolean directKeys, Set<String> children) {
    }
}
