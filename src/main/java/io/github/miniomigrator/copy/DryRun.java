package io.github.miniomigrator.copy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.miniomigrator.listing.Difference;
import io.github.miniomigrator.listing.ListingEntry;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * What one pass of `copy --dry-run` would do, key by key: the copies and deletes a real pass would make, each with its
 * reason, and the extra target keys it would keep, with why. The pass decides as a real one does; the two places that
 * act on a decision — {@link ObjectCopier#copy} and {@link ExtraObjectRemover}'s deletes — record here instead of
 * writing. Entries are spooled to a temporary file (one JSON object a line), so memory stays bounded whatever the bucket.
 */
public final class DryRun implements AutoCloseable {
    public static final String COPY = "copy";
    public static final String DELETE = "delete";
    public static final String KEEP = "keep";
    private static final ObjectMapper JSON = new ObjectMapper();

    public final LongAdder copyObjects = new LongAdder();
    public final LongAdder copyBytes = new LongAdder();
    public final LongAdder deleteObjects = new LongAdder();
    public final LongAdder keptObjects = new LongAdder();
    private final LineSpool lines = new LineSpool("minio-migrator-dry-run-", "a dry-run entry");

    /** A key the real pass would copy, with why: missing on the target, or its size or ETag differs (both shown). */
    public void wouldCopy(Difference difference) {
        ListingEntry source = difference.source();
        ListingEntry target = difference.target();
        copyObjects.increment();
        copyBytes.add(source.size());
        ObjectNode entry = JSON.createObjectNode().put("key", difference.key()).put("action", COPY).put("reason", copyReason(source, target));
        entry.put("sourceSize", source.size()).put("sourceEtag", source.etag());
        if (target != null) {
            entry.put("targetSize", target.size()).put("targetEtag", target.etag());
        }
        spool(entry);
    }

    static String copyReason(ListingEntry source, ListingEntry target) {
        if (target == null) {
            return "missing on the target";
        }
        if (source.size() != target.size()) {
            return "size differs: source " + source.size() + " bytes, target " + target.size() + " bytes";
        }
        return "ETag differs: source " + source.etag() + ", target " + target.etag()
                + " (and no source ETag or MD5 recorded on the target matches)";
    }

    /** An extra target key (the source lacks it) that the real pass would delete. */
    public void wouldDelete(String key) {
        deleteObjects.increment();
        spool(JSON.createObjectNode().put("key", key).put("action", DELETE).put("reason", "extra on the target (not in the source): deleted"));
    }

    /** An extra target key the real pass would keep, and why (migration.remove=false, migration.max-delete, errors ...). */
    public void kept(String key, String why) {
        keptObjects.increment();
        spool(JSON.createObjectNode().put("key", key).put("action", KEEP).put("reason", "extra on the target (not in the source), kept: " + why));
    }

    private void spool(ObjectNode entry) {
        try {
            lines.add(JSON.writeValueAsString(entry));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e); // a tree of strings and numbers always serialises
        }
    }

    /** Each entry as the JSON object it was spooled as, in the order they were decided. */
    public void forEachEntry(Consumer<String> action) {
        lines.forEach(action);
    }

    @Override
    public void close() {
        lines.close();
    }
}
