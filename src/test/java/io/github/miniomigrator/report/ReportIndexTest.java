package io.github.miniomigrator.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index of a report folder: newest first, each report's result from its JSON, relative links, and its bound. */
class ReportIndexTest {

    @Test
    void listsReportsNewestFirstWithResultsAndLinks(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("copy-20261207-090211-540.json"), "{\"command\":\"copy\",\"mappings\":[{\"result\":\"failed\"}],\"result\":\"ok\"}");
        Files.writeString(dir.resolve("copy-20261207-090211-540.html"), "<html></html>");
        Files.writeString(dir.resolve("verify-20261207-090215-661.json"), "{\"started\":\"x\",\"result\":\"differences\",\"mappings\":[]}");
        Files.writeString(dir.resolve("verify-20261207-090215-661.html"), "<html></html>");
        Files.writeString(dir.resolve("cutover-backup-20261207-090217.json"), "{\"values\":{}}");
        Files.writeString(dir.resolve("verify-20261207-090215-495-archive-temp.txt"), "+ a\n");

        String html = Files.readString(ReportIndex.write(dir));

        int backup = html.indexOf("cutover-backup-20261207-090217.json");
        int verify = html.indexOf("verify-20261207-090215-661.json");
        int copy = html.indexOf("copy-20261207-090211-540.json");
        assertTrue(backup > 0 && backup < verify && verify < copy, "newest first: " + html);
        assertTrue(html.contains("2026-12-07 09:02:15.661 UTC") && html.contains("<td class=l>verify</td>"), html);
        assertTrue(html.contains("<span class=bad>differences</span>") && html.contains("<span class=ok>ok</span>"),
                "the top-level result, not a mapping's: " + html);
        assertTrue(html.contains("<a href='verify-20261207-090215-661.html'>") && html.contains("<a href='copy-20261207-090211-540.json'>"), html);
        assertFalse(html.contains("cutover-backup-20261207-090217.html") || html.contains("archive-temp.txt"), html);
        assertTrue(html.contains("3 reports in this folder"), html);
    }

    @Test
    void listsTheNewestAndCountsTheRest(@TempDir Path dir) throws Exception {
        for (int i = 0; i < ReportIndex.LISTED + 3; i++) {
            Files.writeString(dir.resolve(String.format("copy-20261207-%06d-000.json", i)), "{\"result\":\"ok\"}");
        }
        String html = Files.readString(ReportIndex.write(dir));
        assertTrue(html.contains("and 3 older reports not listed (the newest 500 are)"), html);
        assertFalse(html.contains("copy-20261207-000002-000.json"), "the oldest are the ones left out");
        assertTrue(html.contains("copy-20261207-000003-000.json") && html.contains(String.format("copy-20261207-%06d-000.json", ReportIndex.LISTED + 2)));
        assertEquals(ReportIndex.LISTED, html.split("<tr><td").length - 1);
    }

    @Test
    void aResultIsReadOnceAndAgainWhenTheFileChanges(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("verify-20261207-090215-661.json");
        Files.writeString(json, "{\"result\":\"differences\"}");
        ReportIndex.ResultCache cache = new ReportIndex.ResultCache(2);
        assertEquals("differences", cache.of(json));
        Files.writeString(json, "{\"result\":\"identical\"}"); // another size: read again
        assertEquals("identical", cache.of(json));
        Files.writeString(json, "{\"result\":\"different\"}"); // the same size, a later time: read again
        Files.setLastModifiedTime(json, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        assertEquals("different", cache.of(json));
        Files.delete(json);
        assertEquals(null, cache.of(json), "a file gone has no result");
        org.junit.jupiter.api.Assertions.assertTrue(ReportIndex.newest(dir, "verify").isEmpty());
        Files.writeString(dir.resolve("verify-20261207-090215-661.json"), "{}");
        Files.writeString(dir.resolve("verify-20261208-000000-000.json"), "{}");
        Files.writeString(dir.resolve("copy-20261209-000000-000.json"), "{}");
        assertEquals("verify-20261208-000000-000.json", ReportIndex.newest(dir, "verify").orElseThrow());
        assertEquals("2026-12-08 00:00:00.000 UTC", ReportIndex.time("verify-20261208-000000-000.json"));
    }
}
