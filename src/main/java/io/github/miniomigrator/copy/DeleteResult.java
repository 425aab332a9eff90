package io.github.miniomigrator.copy;

import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.hooks.ObjectOutcome;

/**
 * One key's result in the delete-objects route's answer: deleted, or refused with the store's reason.
 *
 * @param key the source key (the mapping gives its target key)
 * @param reason why the store did not delete it; null when it did
 */
public record DeleteResult(BucketMapping mapping, String key, String reason) {
    public static DeleteResult deleted(BucketMapping mapping, String key) {
        return new DeleteResult(mapping, key, null);
    }

    public boolean deleted() {
        return reason == null;
    }

    /** The outcome a hook receives: DELETED or DELETE_FAILED (a listing's extra key has no size or ETag at hand). */
    public ObjectOutcome outcome() {
        return ObjectOutcome.of(deleted() ? ObjectOutcome.DELETED : ObjectOutcome.DELETE_FAILED, mapping, key, -1, null, reason);
    }
}
