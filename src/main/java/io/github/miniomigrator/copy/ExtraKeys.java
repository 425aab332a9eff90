package io.github.miniomigrator.copy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * Target keys the source lacks, kept on disk until the pass is over: deletes wait until the pass is known to be
 * clean (rclone's delete-after), and a spool file keeps memory bounded however many there are.
 */
public final class ExtraKeys implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final LineSpool lines = new LineSpool("minio-migrator-extra-", "a key to delete");

    public void add(String key) {
        try {
            lines.add(JSON.writeValueAsString(key)); // one JSON string per line: keys may hold newlines
        } catch (IOException e) {
            throw new UncheckedIOException("cannot spool a key to delete: " + e.getMessage(), e);
        }
    }

    public long count() {
        return lines.count();
    }

    public void forEach(Consumer<String> action) {
        lines.forEach(line -> {
            try {
                action.accept(JSON.readValue(line, String.class));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read a spooled key to delete: " + e.getMessage(), e);
            }
        });
    }

    @Override
    public void close() {
        lines.close();
    }
}
