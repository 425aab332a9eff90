package io.github.miniomigrator.copy;

import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.store.TargetStore;
import java.util.List;

/**
 * The body of the delete-objects route: up to {@value TargetStore#MAX_DELETE_KEYS} keys of one mapping to delete from
 * its target, each a source key (the mapping gives its target key). The single-key delete-object route carries one as
 * the exchange property {@value #PROPERTY}.
 */
public record DeleteBatch(BucketMapping mapping, List<String> keys) {
    /** The exchange property delete-object's hook step reads the mapping and the key from. */
    public static final String PROPERTY = "MigrationDeleteBatch";

    public DeleteBatch {
        keys = List.copyOf(keys);
        if (keys.size() > TargetStore.MAX_DELETE_KEYS) {
            throw new IllegalArgumentException("a delete batch holds at most " + TargetStore.MAX_DELETE_KEYS + " keys, not " + keys.size());
        }
    }

    /**
     * Whether a DeleteObjects request can carry the target key: its body is XML 1.0, which has no way to write most
     * control characters (S3 allows them in keys). Such a key is deleted on its own.
     */
    static boolean fitsXml(String key) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0xFFFE || c == 0xFFFF) {
                return false;
            }
        }
        return true;
    }
}
