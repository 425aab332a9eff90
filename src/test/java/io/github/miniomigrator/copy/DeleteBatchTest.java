package io.github.miniomigrator.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.hooks.ObjectOutcome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What one DeleteObjects request may carry, and what a key's result tells the hooks. */
class DeleteBatchTest {
    private static final BucketMapping MAPPING = new BucketMapping("src", "dst", "backup");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "plain/key.txt|true",
            "中文 文件+1 100%.txt|true",
            "tab\there|true",
            "bell\u0007here|false",
            "nul\u0000here|false",
            "unit\u001Fseparator|false",
            "not a char \uFFFE|false",
            "emoji 😀|true"})
    void aKeyGoesInTheXmlBodyOnlyWhereXmlCanWriteIt(String key, boolean fits) {
        assertEquals(fits, DeleteBatch.fitsXml(key));
    }

    @Test
    void aBatchHoldsAtMostAThousandKeys() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            keys.add("k" + i);
        }
        assertEquals(1000, new DeleteBatch(MAPPING, keys).keys().size());
        keys.add("one more");
        assertThrows(IllegalArgumentException.class, () -> new DeleteBatch(MAPPING, keys));
    }

    @Test
    void eachResultIsAnOutcomeWithTheTargetKey() {
        ObjectOutcome deleted = DeleteResult.deleted(MAPPING, "a.txt").outcome();
        assertEquals(ObjectOutcome.DELETED, deleted.outcome());
        assertEquals(MAPPING.targetKey("a.txt"), deleted.targetKey());
        ObjectOutcome failed = new DeleteResult(MAPPING, "b.txt", "AccessDenied (Access Denied)").outcome();
        assertEquals(ObjectOutcome.DELETE_FAILED, failed.outcome());
        assertEquals("AccessDenied (Access Denied)", failed.reason());
        assertEquals(-1, failed.size());
    }
}
