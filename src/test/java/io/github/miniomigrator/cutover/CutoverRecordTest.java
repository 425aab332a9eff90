package io.github.miniomigrator.cutover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.config.BucketMapping;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CutoverRecordTest {
    static final CutoverRecord RECORD = new CutoverRecord("2026-12-07T08:00:00Z",
            BucketMapping.parseAll("archive-temp:oss-temp,archive-pro:oss-pro/2024"), "/r/cutover-backup-1.json", "/r/plan.txt", "app-1", null);

    @ParameterizedTest(name = "{0} covered: {1}")
    @CsvSource({
        "x:oss-temp, true", "x:oss-temp/scans, true", "archive-temp:oss-other, false", "y:oss-pro, true",
        "y:oss-pro/2024/q1, true", "y:oss-pro/2025, false", "y:oss-pro/20, false"})
    void aForwardSyncIsRefusedWhereItWouldWriteWhatTheApplicationNowWrites(String mapping, boolean covered) {
        assertEquals(covered, RECORD.covers(BucketMapping.parseAll(mapping).get(0)));
    }

    @ParameterizedTest(name = "{0} writes: {1}")
    @CsvSource({"PutObject, true", "CreateMultipartUpload, true", "UploadPart, true", "CompleteMultipartUpload, true",
        "DeleteObject, true", "DeleteObjects, true", "CopyObject, true", "PutObjectTagging, true", "RestoreObject, true",
        "GetObject, false", "HeadObject, false", "ListObjectsV2, false", "ListMultipartUploads, false", "HeadBucket, false",
        "AbortMultipartUpload, false"})
    void everyOperationButReadsAndAbortsPassesTheGate(String operation, boolean writes) {
        assertEquals(writes, ForwardGate.writes(operation));
    }

    @Test
    void theRecordRoundTripsAndItsNodeNamesStandForTheirTargets() {
        CutoverRecord back = CutoverRecord.fromJson(RECORD.toJson(), "test");
        assertEquals(RECORD, back);
        assertEquals(List.of("/m/records/oss-temp", "/m/records/oss-pro%2F2024%2F"),
                CutoverRecords.nodes("/m", RECORD).stream().map(ZooKeeperSwitch.RecordNode::node).toList());
        assertEquals(new BucketMapping("", "oss-pro", "2024/"), CutoverRecords.target("oss-pro%2F2024%2F"));
        String refusal = RECORD.refusal("copy");
        assertTrue(refusal.startsWith("copy refused: the application writes to the target since the cutover at 2026-12-07T08:00:00Z"));
        assertTrue(refusal.contains("rollback --backup /r/cutover-backup-1.json") && !refusal.contains("\n"), refusal);
    }

    @Test
    void anUnreadableRecordRefusesRatherThanCountsAsNone() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> CutoverRecord.fromJson("{\"at\":".getBytes(StandardCharsets.UTF_8), "in /state/cutovers/x.json"));
        assertTrue(e.getMessage().contains("cannot be read") && e.getMessage().contains("Forward syncs are refused"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }
}
