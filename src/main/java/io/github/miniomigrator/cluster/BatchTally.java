package io.github.miniomigrator.cluster;

import io.github.miniomigrator.copy.PassStats;
import java.util.List;

/**
 * The counts of one batch of a shared pass, as its instance leaves them in ZooKeeper (a node under tallies/): the
 * leader adds up the batches of each mapping into the pass's report. Failures and notes are cut to a few lines, so a
 * tally stays far below ZooKeeper's node size limit.
 */
public record BatchTally(int mapping, List<String> shards, long sourceObjects, long sourceBytes, long targetObjects, long targetBytes,
        long copiedObjects, long copiedBytes, long identicalObjects, long identicalBytes, long extraObjects, long goneObjects,
        long failedObjects, long retries, long rewrites, long renamedMetadata, String passError, List<String> failures, List<String> notes) {
    /** Failure and note lines kept per batch (the counts stay whole). */
    static final int KEPT_LINES = 20;
    private static final int LINE_LENGTH = 500;

    public static BatchTally of(int mapping, List<String> shards, PassStats s) {
        return new BatchTally(mapping, List.copyOf(shards), s.sourceObjects.sum(), s.sourceBytes.sum(), s.targetObjects.sum(), s.targetBytes.sum(),
                s.copiedObjects.sum(), s.copiedBytes.sum(), s.identicalObjects.sum(), s.identicalBytes.sum(), s.extraObjects.sum(),
                s.goneObjects.sum(), s.failedObjects.sum(), s.retries.sum(), s.rewrites.sum(), s.renamedMetadata.sum(),
                s.passError() == null ? null : cut(s.passError()), lines(s.failures()), lines(s.notes()));
    }

    /** Adds this batch to the stats of the whole pass. */
    public void addTo(PassStats s) {
        s.sourceObjects.add(sourceObjects);
        s.sourceBytes.add(sourceBytes);
        s.targetObjects.add(targetObjects);
        s.targetBytes.add(targetBytes);
        s.copiedObjects.add(copiedObjects);
        s.copiedBytes.add(copiedBytes);
        s.identicalObjects.add(identicalObjects);
        s.identicalBytes.add(identicalBytes);
        s.extraObjects.add(extraObjects);
        s.goneObjects.add(goneObjects);
        s.failedObjects.add(failedObjects);
        s.retries.add(retries);
        s.rewrites.add(rewrites);
        s.renamedMetadata.add(renamedMetadata);
        if (passError != null) {
            s.passError("shards " + shards + ": " + passError);
        }
        failures.forEach(s::keepFailure);
        notes.forEach(s::note);
    }

    private static List<String> lines(List<String> all) {
        return all.stream().limit(KEPT_LINES).map(BatchTally::cut).toList();
    }

    private static String cut(String line) {
        return line.length() <= LINE_LENGTH ? line : line.substring(0, LINE_LENGTH) + "…";
    }
}
