package io.github.miniomigrator.report;

import io.github.miniomigrator.copy.CopyPass;
import io.github.miniomigrator.copy.PassStats;
import io.github.miniomigrator.copy.Throughput;
import java.time.Duration;
import java.util.List;

/**
 * The figures of one finished pass, as the reports show them.
 *
 * @param extraSample a few of the extra target keys (the first KeySample.SIZE in key order)
 * @param extrasKept why the extra target keys were kept though migration.remove=true; null where remove was off or none was kept
 */
public record PassSummary(String sourceBucket, String targetBucket, String targetPrefix, String result, double seconds, int listedRanges,
        long sourceObjects, long sourceBytes, long targetObjectsBefore, long targetBytesBefore,
        long copiedObjects, long copiedBytes, long replacedObjects, long identicalObjects, long identicalBytes, long deletedObjects,
        long extraObjects, long goneObjects, long failedObjects, long retries, long rewrites, long renamedMetadataKeys, java.util.Map<String, Long> metadataKeyRenames,
        double objectsPerSecond, double bytesPerSecond, String passError, List<String> failures, List<String> notes,
        List<Throughput.Point> throughput, String extrasKept, List<String> extraSample) {

    public static PassSummary of(CopyPass pass) {
        PassStats s = pass.stats();
        double seconds = Duration.between(pass.started(), pass.finished()).toMillis() / 1000.0;
        double rateBase = Math.max(seconds, 0.001);
        return new PassSummary(pass.mapping().sourceBucket(), pass.mapping().targetBucket(), pass.mapping().targetPrefix(),
                s.clean() ? "ok" : "failed", seconds, s.listedRanges(),
                s.sourceObjects.sum(), s.sourceBytes.sum(), s.targetObjects.sum(), s.targetBytes.sum(),
                s.copiedObjects.sum(), s.copiedBytes.sum(), s.replacedObjects.sum(), s.identicalObjects.sum(), s.identicalBytes.sum(), s.deletedObjects.sum(),
                s.extraObjects.sum(), s.goneObjects.sum(), s.failedObjects.sum(), s.retries.sum(), s.rewrites.sum(), s.renamedMetadata.sum(), s.renamedKeys(),
                s.copiedObjects.sum() / rateBase, s.copiedBytes.sum() / rateBase, s.passError(), s.failures(), s.notes(),
                s.throughput().points(), s.extrasKept(), s.extraSample.keys());
    }

    public boolean ok() {
        return "ok".equals(result);
    }
}
