package io.github.miniomigrator.verify;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a verify of one mapping found, with rclone check's markers: '=' identical, '+' only in the source, '-' only in
 * the target, '*' differs, '!' could not be compared. Every marked key goes to a spool file; the first ones are kept.
 */
public final class VerifyTally implements AutoCloseable {
    public static final String PROPERTY = "MigrationVerifyTally";
    static final int KEPT = 1000;

    public final LongAdder sourceObjects = new LongAdder();
    public final LongAdder sourceBytes = new LongAdder();
    public final LongAdder targetObjects = new LongAdder();
    public final LongAdder targetBytes = new LongAdder();
    public final LongAdder identical = new LongAdder();
    public final LongAdder onlyInSource = new LongAdder();
    public final LongAdder onlyInTarget = new LongAdder();
    public final LongAdder differ = new LongAdder();
    public final LongAdder errors = new LongAdder();
    public final LongAdder hashNotChecked = new LongAdder();
    public final LongAdder sampled = new LongAdder();
    /** Sampled objects not downloaded because their storage class (an archive) needs a restore first. */
    public final LongAdder sampleArchived = new LongAdder();
    private final List<String> kept = new ArrayList<>();
    /** The first {@link #KEPT} marks of each marker, for the page: "*", "!", "+", "-". */
    private final Map<Character, List<VerifyMark>> groups = new TreeMap<>();
    private final Path spool;
    private final BufferedWriter writer;

    public VerifyTally(Path spool) {
        try {
            Files.createDirectories(spool.getParent());
            this.spool = spool;
            this.writer = Files.newBufferedWriter(spool, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + spool + ": " + e.getMessage(), e);
        }
    }

    /** One marker line, as rclone check --combined writes it: "+ key". Keys with a newline are written escaped. */
    public void mark(char marker, String key, String why) {
        mark(marker, key, why, null, null);
    }

    /** One marker line, with what is known of each side (null: that side has none, or it was not read). */
    public synchronized void mark(char marker, String key, String why, VerifyMark.Side source, VerifyMark.Side target) {
        String line = marker + " " + key.replace("\\", "\\\\").replace("\n", "\\n") + (why == null ? "" : "    # " + why);
        try {
            writer.write(line);
            writer.newLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (kept.size() < KEPT) {
            kept.add(line);
        }
        List<VerifyMark> group = groups.computeIfAbsent(marker, m -> new ArrayList<>());
        if (group.size() < KEPT) {
            group.add(new VerifyMark(marker, key, why, source, target));
        }
    }

    /** The first marks of each marker (at most {@link #KEPT} each), in the order they came. */
    public synchronized List<VerifyMark> keptMarks() {
        List<VerifyMark> all = new ArrayList<>();
        groups.values().forEach(all::addAll);
        return all;
    }

    public synchronized List<String> kept() {
        return List.copyOf(kept);
    }

    public Path spool() {
        return spool;
    }

    public boolean identicalAll() {
        return onlyInSource.sum() == 0 && onlyInTarget.sum() == 0 && differ.sum() == 0 && errors.sum() == 0;
    }

    @Override
    public synchronized void close() {
        try {
            writer.close();
        } catch (IOException e) {
            // the spool is a report aid
        }
    }
}
