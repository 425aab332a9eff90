package io.github.miniomigrator.copy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.miniomigrator.listing.Difference;
import io.github.miniomigrator.listing.ListingEntry;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    private Path file;
    private BufferedWriter writer;

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

    private synchronized void spool(ObjectNode entry) {
        try {
            if (writer == null) {
                file = Files.createTempFile("minio-migrator-dry-run-", ".jsonl");
                writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            }
            writer.write(JSON.writeValueAsString(entry));
            writer.newLine();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot spool a dry-run entry to " + file + ": " + e.getMessage(), e);
        }
    }

    /** Each entry as the JSON object it was spooled as, in the order they were decided. */
    public synchronized void forEachEntry(Consumer<String> action) {
        if (writer == null) {
            return;
        }
        try {
            writer.flush();
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    action.accept(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dry-run entries in " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            if (writer != null) {
                writer.close();
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // a temp file left behind holds key names only, no object data and no secret
        }
        writer = null;
    }
}
