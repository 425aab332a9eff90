package io.github.miniomigrator.copy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/** What one pass of one mapping did, counted by many transfer threads at once. */
public final class PassStats {
    /** Failures and notes kept word for word; past this many only the counts grow, so memory stays bounded. */
    public static final int KEPT_DETAILS = 1000;

    public final LongAdder sourceObjects = new LongAdder();
    public final LongAdder sourceBytes = new LongAdder();
    public final LongAdder targetObjects = new LongAdder();
    public final LongAdder targetBytes = new LongAdder();
    public final LongAdder copiedObjects = new LongAdder();
    public final LongAdder copiedBytes = new LongAdder();
    public final LongAdder identicalObjects = new LongAdder();
    public final LongAdder identicalBytes = new LongAdder();
    public final LongAdder deletedObjects = new LongAdder();
    public final LongAdder extraObjects = new LongAdder();
    public final LongAdder goneObjects = new LongAdder();
    public final LongAdder failedObjects = new LongAdder();
    public final LongAdder retries = new LongAdder();
    public final LongAdder renamedMetadata = new LongAdder();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final List<String> notes = Collections.synchronizedList(new ArrayList<>());
    private volatile String passError;

    public void failed(String key, String reason) {
        failedObjects.increment();
        keep(failures, key + ": " + reason);
    }

    public void note(String note) {
        keep(notes, note);
    }

    /** An error that stopped the pass itself (a listing failed or came out of order, deletes refused). */
    public void passError(String error) {
        this.passError = error;
    }

    public String passError() {
        return passError;
    }

    public boolean clean() {
        return passError == null && failedObjects.sum() == 0;
    }

    public List<String> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    public List<String> notes() {
        synchronized (notes) {
            return List.copyOf(notes);
        }
    }

    private static void keep(List<String> list, String line) {
        synchronized (list) {
            if (list.size() < KEPT_DETAILS) {
                list.add(line);
            }
        }
    }
}
