package io.github.miniomigrator.events;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every key whose sync after an event failed, in a file an operator can open ({@code event-failures.log} in
 * migration.report.dir): a line when a key first fails, with the store's answer, and a line when it converges again —
 * not a line per retry, so an outage of hours writes a line or two per key. The log itself sums failures up per burst.
 */
public final class EventFailureFile {
    private static final Logger LOG = LoggerFactory.getLogger(EventFailureFile.class);
    private static final int REMEMBERED = 100_000;
    private final Path file;
    private final Set<String> failing = ConcurrentHashMap.newKeySet();

    public EventFailureFile(Path reportDir) {
        this.file = reportDir.resolve("event-failures.log");
    }

    public Path file() {
        return file;
    }

    /** A sync of the key failed: written if it is the key's first failure since it last converged. */
    void failed(ObjectChange change, String reason) {
        String key = change.bucket() + "/" + change.key();
        if (failing.size() < REMEMBERED ? failing.add(key) : !failing.contains(key)) {
            append(Instant.now() + " FAILED " + key + ": " + reason + " (owed: tried again until it converges)");
        }
    }

    /** A sync of the key converged: written if it had failed. */
    void converged(ObjectChange change) {
        if (!failing.isEmpty() && failing.remove(change.bucket() + "/" + change.key())) {
            append(Instant.now() + " CONVERGED " + change.bucket() + "/" + change.key());
        }
    }

    private synchronized void append(String line) {
        try {
            Files.createDirectories(file.getParent());
            try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                writer.write(line.replace('\n', ' ') + "\n");
            }
        } catch (IOException e) {
            LOG.debug("cannot write {}: {}", file, e.getMessage());
        }
    }
}
