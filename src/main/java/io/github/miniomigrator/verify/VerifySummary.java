package io.github.miniomigrator.verify;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/** One mapping's verify result, as the reports show it. */
public record VerifySummary(String sourceBucket, String target, String result, long sourceObjects, long sourceBytes,
        long targetObjects, long targetBytes, long identical, long onlyInSource, long onlyInTarget, long differ, long errors,
        long hashNotChecked, long sampled, long sampleArchived, String passError, String markerFile, List<String> markers,
        @JsonIgnore List<VerifyMark> marks) {

    public static VerifySummary of(String sourceBucket, String target, VerifyTally t, String passError) {
        String result = passError != null || t.errors.sum() > 0 ? "could not compare" : t.identicalAll() ? "identical" : "differences";
        return new VerifySummary(sourceBucket, target, result, t.sourceObjects.sum(), t.sourceBytes.sum(), t.targetObjects.sum(),
                t.targetBytes.sum(), t.identical.sum(), t.onlyInSource.sum(), t.onlyInTarget.sum(), t.differ.sum(), t.errors.sum(),
                t.hashNotChecked.sum(), t.sampled.sum(), t.sampleArchived.sum(), passError, t.spool().toAbsolutePath().toString(), t.kept(),
                t.keptMarks());
    }
}
