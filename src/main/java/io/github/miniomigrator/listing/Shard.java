package io.github.miniomigrator.listing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A part of a mapping's key space that a pass lists and merge-joins on its own: a key range ({@link KeyRange}) or a
 * directory ({@link DirectoryShard}). The parts of one pass never share a key, in either key order, so each is exact
 * on its own and together they find every key once. Serialised by {@link #encode()}, they are the shards instances
 * can share.
 */
public interface Shard {
    /** What every key of the part starts with: its listings ask the store for this prefix only. */
    String prefix();

    /** The key both listings start after, or null: from the first key under the prefix. */
    String startAfter();

    /** Whether the listings go with delimiter '/' and keep only the keys directly under the prefix. */
    boolean delimited();

    /**
     * Throws {@link ListingOrderException} for a key the store should never have shown this part's listing (it ignored
     * the start-after, the prefix or the delimiter): going on would hand a key to two parts, or miss one.
     */
    void check(String key, String listing);

    /** Whether the listing may show the key though it belongs to another part (left out, not an error). */
    default boolean skips(String key) {
        return false;
    }

    /** Whether the key belongs to this part (whichever listing shows it). */
    boolean contains(String key);

    /** Whether the key sorts after every key of the part: its listing ends there (no page past it is asked for). */
    boolean beyond(String key);

    /**
     * The same part with both sides listed: what a second walk over it needs once the pass has written to the target
     * (the settling join), whatever the planning knew of the target then ({@link DirectoryShard#onEmptyTarget}).
     */
    default Shard listedOnBothSides() {
        return this;
    }

    /** A stable, human-readable name. */
    String name();

    /** The stable serialised form. */
    String encode();

    /** A range's or a directory's serialised form, told apart by their fields. */
    static Shard decode(String json) {
        try {
            JsonNode node = new ObjectMapper().readTree(json);
            return node != null && node.has("prefix") ? DirectoryShard.decode(json) : KeyRange.decode(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a shard: " + json + " (" + e.getOriginalMessage() + ")", e);
        }
    }
}
