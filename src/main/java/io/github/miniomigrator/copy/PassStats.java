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
    /** Copies decided over an object the target held (a rewrite since the last pass), out of the copies decided. */
    public final LongAdder replacedObjects = new LongAdder();
    public final LongAdder identicalObjects = new LongAdder();
    public final LongAdder identicalBytes = new LongAdder();
    public final LongAdder deletedObjects = new LongAdder();
    public final LongAdder extraObjects = new LongAdder();
    /** A few of the extra target keys (the first in key order), for the messages that count them. */
    public final io.github.miniomigrator.report.KeySample extraSample = new io.github.miniomigrator.report.KeySample();
    public final LongAdder goneObjects = new LongAdder();
    public final LongAdder failedObjects = new LongAdder();
    public final LongAdder retries = new LongAdder();
    /** Writes again of a key whose source changed while it was written (migration.recheck-after-write). */
    public final LongAdder rewrites = new LongAdder();
    public final LongAdder renamedMetadata = new LongAdder();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    /** The keys of the failures kept word for word, so a key failing again in the pass's settling join is counted once. */
    private final java.util.Set<String> failedKeys = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final List<String> notes = Collections.synchronizedList(new ArrayList<>());
    private final Throughput throughput = new Throughput();
    private final java.util.Map<String, LongAdder> renamedKeys = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile String passError;
    /** Why the extra target keys were kept though migration.remove=true (errors, max-delete, the brake); null otherwise. */
    private volatile String extrasKept;
    private volatile int listedRanges;

    /**
     * Bytes moved: read from the source by the copies as they read them (while an object is in flight), a retry's
     * again (that is real traffic). The progress line's rate and the report's chart come from it.
     */
    public final LongAdder movedBytes = new LongAdder();
    /** Source objects and bytes the listing has given so far, and whether it has ended: the pass's totals once it has. */
    public final LongAdder listedObjects = new LongAdder();
    public final LongAdder listedBytes = new LongAdder();
    private volatile boolean listingComplete;

    /** Keys being copied now, each with its transfer: the progress line shows transfers that are stuck and their bytes. */
    private final java.util.Map<String, Transfer> inFlight = new java.util.concurrent.ConcurrentHashMap<>();

    public Transfer started(String key) {
        Transfer transfer = new Transfer(key, System.nanoTime(), movedBytes);
        inFlight.put(key, transfer);
        return transfer;
    }

    public void ended(String key) {
        inFlight.remove(key);
    }

    /** A source object the listing gave (counted before any decision, so the totals are complete once the listing ends). */
    public void listed(long size) {
        listedObjects.increment();
        listedBytes.add(size);
    }

    public void listingComplete() {
        listingComplete = true;
    }

    public boolean isListingComplete() {
        return listingComplete;
    }

    /** The bytes of the current tries of the transfers running now. */
    public long inFlightBytes() {
        long bytes = 0;
        for (Transfer transfer : inFlight.values()) {
            bytes += transfer.bytes();
        }
        return bytes;
    }

    /** "3 transfers running, the longest for 95 s, 412 MiB of 2.0 GiB (big/archive.tar)", or "" when none has run for a minimum yet. */
    public String stuckTransfers(java.time.Duration minimum) {
        long now = System.nanoTime();
        Transfer oldest = null;
        for (Transfer transfer : inFlight.values()) {
            if (oldest == null || transfer.startedNanos() < oldest.startedNanos()) {
                oldest = transfer;
            }
        }
        if (oldest == null || now - oldest.startedNanos() < minimum.toNanos()) {
            return "";
        }
        long size = oldest.size();
        long seconds = (now - oldest.startedNanos()) / 1_000_000_000L;
        String moved = io.github.miniomigrator.report.Sizes.human(oldest.bytes());
        return size >= 0 ? io.github.miniomigrator.i18n.Messages.text("cli.progress.stuck-of", inFlight.size(), seconds, moved,
                io.github.miniomigrator.report.Sizes.human(size), oldest.key())
                : io.github.miniomigrator.i18n.Messages.text("cli.progress.stuck", inFlight.size(), seconds, moved, oldest.key());
    }

    /** A metadata key the target refuses was stored under another name; counted per distinct rename. */
    public void renamedMetadataKey(String original, String accepted) {
        renamedMetadata.increment();
        String rename = "'" + original + "' -> '" + accepted + "'";
        if (renamedKeys.size() < KEPT_DETAILS || renamedKeys.containsKey(rename)) {
            renamedKeys.computeIfAbsent(rename, k -> new LongAdder()).increment();
        }
    }

    /** Each distinct metadata key rename with the number of objects it applied to. */
    public java.util.Map<String, Long> renamedKeys() {
        java.util.Map<String, Long> copy = new java.util.TreeMap<>();
        renamedKeys.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }

    /** Bytes moved over time (movedBytes), sampled while the pass runs, for the report's chart. */
    public Throughput throughput() {
        return throughput;
    }

    public void failed(String key, String reason) {
        lastFailure = reason;
        Transfer transfer = inFlight.get(key);
        if (transfer != null) {
            transfer.failed(reason);
        }
        failedObjects.increment();
        keep(failures, key + ": " + reason);
        if (failedKeys.size() < KEPT_DETAILS) {
            failedKeys.add(key);
        }
    }

    private volatile String lastFailure = "";

    /** The reason of the latest failure (of any key of the pass): what the store answered last. */
    public String lastFailure() {
        return lastFailure;
    }

    /** The keys that failed (as many as the failures kept word for word). */
    public java.util.Set<String> failedKeys() {
        return java.util.Set.copyOf(failedKeys);
    }

    /** Adds another pass's counts to this one's (its lines and chart stay with it). */
    public void addCounts(PassStats other) {
        sourceObjects.add(other.sourceObjects.sum());
        sourceBytes.add(other.sourceBytes.sum());
        targetObjects.add(other.targetObjects.sum());
        targetBytes.add(other.targetBytes.sum());
        copiedObjects.add(other.copiedObjects.sum());
        copiedBytes.add(other.copiedBytes.sum());
        replacedObjects.add(other.replacedObjects.sum());
        identicalObjects.add(other.identicalObjects.sum());
        identicalBytes.add(other.identicalBytes.sum());
        deletedObjects.add(other.deletedObjects.sum());
        extraObjects.add(other.extraObjects.sum());
        extraSample.addAll(other.extraSample);
        goneObjects.add(other.goneObjects.sum());
        failedObjects.add(other.failedObjects.sum());
        retries.add(other.retries.sum());
        rewrites.add(other.rewrites.sum());
        renamedMetadata.add(other.renamedMetadata.sum());
        movedBytes.add(other.movedBytes.sum());
        listedObjects.add(other.listedObjects.sum());
        listedBytes.add(other.listedBytes.sum());
    }

    /** A failure line counted elsewhere (another pass's, added up here): kept, not counted again. */
    public void keepFailure(String line) {
        keep(failures, line);
    }

    private final java.util.concurrent.atomic.AtomicBoolean encodedMetadataNoted = new java.util.concurrent.atomic.AtomicBoolean();

    /** A non-ASCII metadata value carried encoded (MetadataMapper): one note per pass, naming the first. */
    public void encodedMetadataValue(String name, String key, String how, String provider) {
        if (encodedMetadataNoted.compareAndSet(false, true)) {
            note("non-ASCII user metadata values are carried " + how + " to " + provider + ", as it documents (first: '" + name + "' of '"
                    + key + "'); README, \"Metadata\"");
        }
    }

    public void note(String note) {
        keep(notes, note);
    }

    /** An error that stopped the pass itself (a listing failed or came out of order, deletes refused). */
    public void passError(String error) {
        this.passError = error;
    }

    /** How many key ranges the pass listed (in parallel, as migration.listing.concurrency allows). */
    public void listedRanges(int ranges) {
        this.listedRanges = ranges;
    }

    public int listedRanges() {
        return listedRanges;
    }

    public String passError() {
        return passError;
    }

    /** The pass found extra target keys and, though migration.remove=true, kept them: {@code why} says why, in a few words. */
    public void extrasKept(String why) {
        this.extrasKept = why;
    }

    public String extrasKept() {
        return extrasKept;
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
