package io.github.miniomigrator.copy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Target keys the source lacks, kept on disk until the pass is over: deletes wait until the pass is known to be
 * clean (rclone's delete-after), and a spool file keeps memory bounded however many there are.
 */
public final class ExtraKeys implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private Path file;
    private BufferedWriter writer;
    private long count;

    public synchronized void add(String key) {
        try {
            if (writer == null) {
                file = Files.createTempFile("minio-migrator-extra-", ".jsonl");
                writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            }
            // one JSON string per line: keys may hold newlines
            writer.write(JSON.writeValueAsString(key));
            writer.newLine();
            count++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot spool a key to delete to " + file + ": " + e.getMessage(), e);
        }
    }

    public synchronized long count() {
        return count;
    }

    public synchronized void forEach(Consumer<String> action) {
        if (writer == null) {
            return;
        }
        try {
            writer.flush();
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    action.accept(JSON.readValue(line, String.class));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the spooled keys in " + file + ": " + e.getMessage(), e);
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
            // a temp file left behind holds no secret and no object data
        }
        writer = null;
    }
}
