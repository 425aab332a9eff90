package io.github.miniomigrator.copy;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Lines kept in a temporary file until they are read back, so that memory stays bounded however many a pass collects
 * (its extra keys, a dry run's decisions). A line must hold no line break: callers write one JSON value a line. The
 * file is made at the first line and removed on close.
 */
final class LineSpool implements AutoCloseable {
    private final String prefix;
    private final String what;
    private Path file;
    private BufferedWriter writer;
    private long count;

    /**
     * @param prefix the temporary file's name starts with it
     * @param what what a line is, as an error names it ("a key to delete")
     */
    LineSpool(String prefix, String what) {
        this.prefix = prefix;
        this.what = what;
    }

    synchronized void add(String line) {
        try {
            if (writer == null) {
                file = Files.createTempFile(prefix, ".jsonl");
                writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            }
            writer.write(line);
            writer.newLine();
            count++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot spool " + what + " to " + file + ": " + e.getMessage(), e);
        }
    }

    synchronized long count() {
        return count;
    }

    /** Each line, in the order added. */
    synchronized void forEach(Consumer<String> action) {
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
            throw new UncheckedIOException("cannot read the spooled lines (" + what + ") in " + file + ": " + e.getMessage(), e);
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
            // a temp file left behind holds key names only: no object data, no secret
        }
        writer = null;
    }
}
