package io.github.miniomigrator.listing;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A directory of a mapping's keys (relative to the mapping), as rclone and MinIO walk them: with {@code direct}, the
 * keys directly under {@code prefix} (no '/' after it), listed with delimiter '/'; without, every key under it,
 * listed recursively. A directory P split into its direct keys and one recursive part per child P + segment + '/'
 * covers each key under P exactly once, whatever order a store lists in: the split depends on the key alone.
 */
public record DirectoryShard(@JsonProperty("prefix") String prefix, @JsonProperty("direct") boolean direct,
        @JsonProperty("targetEmpty") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean targetEmpty) implements Shard {
    private static final ObjectMapper JSON = new ObjectMapper();

    @JsonCreator
    public DirectoryShard {
        if (prefix == null || (!prefix.isEmpty() && !prefix.endsWith("/"))) {
            throw new IllegalArgumentException("a directory is '' or ends with '/': '" + prefix + "'");
        }
        if (prefix.isEmpty() && !direct) {
            throw new IllegalArgumentException("every key of the bucket is a key range (KeyRange.ALL), not a directory");
        }
    }

    /** The keys directly under the prefix. */
    public static DirectoryShard directKeys(String prefix) {
        return new DirectoryShard(prefix, true, false);
    }

    /** Every key under a child directory, recursively. */
    public static DirectoryShard everything(String child) {
        return new DirectoryShard(child, false, false);
    }

    /**
     * The same part, known when planned to have nothing on the target (the target's own listing of the level showed no
     * such child, or no keys of its own): its target side is not listed again. A key the target gains there after the
     * planning is seen by the next pass, as one written behind a listing is; until then the pass takes it for missing,
     * and a copy is the most that can follow, never a delete.
     */
    public DirectoryShard onEmptyTarget() {
        return new DirectoryShard(prefix, direct, true);
    }

    @Override
    public DirectoryShard listedOnBothSides() {
        return targetEmpty ? new DirectoryShard(prefix, direct, false) : this;
    }

    @Override
    public String startAfter() {
        return null;
    }

    @Override
    public boolean delimited() {
        return direct;
    }

    @Override
    public void check(String key, String listing) {
        if (!key.startsWith(prefix)) {
            if (!beyond(key)) {
                throw new ListingOrderException("the listing of " + listing + " was asked for the keys under '" + prefix + "' and showed '"
                        + key + "'; the pass stopped without deleting anything. The store ignores the prefix: set "
                        + "migration.listing.split=none to list it in one piece.");
            }
        } else if (direct && key.indexOf('/', prefix.length()) >= 0 && !skips(key)) {
            throw new ListingOrderException("the listing of " + listing + " was asked for the keys directly under '" + prefix
                    + "' (delimiter '/') and showed '" + key + "'; the pass stopped without deleting anything. The store ignores "
                    + "the delimiter: set migration.listing.split=none to list it in one piece.");
        }
    }

    /**
     * In a delimited listing, a child's folder object (prefix + segment + '/'): S3 rolls it into the child's common
     * prefix, S3Proxy's in-memory store lists it as an object. Either way it belongs to the child, whose listing has it.
     */
    @Override
    public boolean skips(String key) {
        return direct && isChild(prefix, key);
    }

    /** Under the prefix, and with {@code direct} directly under it (a child's folder object belongs to the child). */
    @Override
    public boolean contains(String key) {
        return key.startsWith(prefix) && !(direct && key.indexOf('/', prefix.length()) >= 0);
    }

    /** Whether the key is a child directory of the prefix: the prefix, a segment, and its only '/' at the end. */
    public static boolean isChild(String prefix, String key) {
        return key.length() > prefix.length() && key.startsWith(prefix) && key.indexOf('/', prefix.length()) == key.length() - 1;
    }

    /** A key outside the prefix that sorts after it in both key orders (keys under a prefix sort together in either). */
    @Override
    public boolean beyond(String key) {
        return !key.startsWith(prefix) && KeyOrder.compareCodePoints(key, prefix) > 0 && key.compareTo(prefix) > 0;
    }

    @Override
    public String name() {
        return "'" + prefix + (direct ? "' (its own keys)" : "' (all keys)");
    }

    /** E.g. {"prefix":"scan/05/","direct":false}, with "targetEmpty":true where the target is not listed. */
    @Override
    public String encode() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise directory " + name(), e);
        }
    }

    public static DirectoryShard decode(String json) {
        try {
            return JSON.readValue(json, DirectoryShard.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a directory shard: " + json + " (" + e.getOriginalMessage() + ")", e);
        }
    }

    @Override
    public String toString() {
        return name();
    }
}
