package io.github.miniomigrator.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** verify's page: groups in problem-first order, keys sorted with both sides' sizes, next steps, and the bound. */
class VerifyPageTest {

    @Test
    void groupsProblemsFirstSortedWithSizesNextStepsAndABound(@TempDir Path dir) {
        VerifySummary summary;
        try (VerifyTally tally = new VerifyTally(dir.resolve("verify-x-src.txt"))) {
            tally.mark('-', "z/old.pdf", null, null, new VerifyMark.Side(7, Instant.parse("2026-12-07T11:00:00Z")));
            tally.mark('+', "b/2.pdf", null, VerifyMark.Side.ofSize(2_000), null);
            tally.mark('+', "a/1.pdf", null, new VerifyMark.Side(1_000, Instant.parse("2026-12-07T10:00:00.250Z")), null);
            tally.mark('+', "c/3.pdf", null, VerifyMark.Side.ofSize(3_000), null);
            tally.mark('*', "m/size.pdf", "size 10 in the source, 11 in the target", new VerifyMark.Side(10, Instant.parse("2026-12-06T09:00:00Z")), new VerifyMark.Side(11, Instant.parse("2026-12-07T09:30:00Z")));
            tally.mark('!', "q/denied.pdf", "AccessDenied", VerifyMark.Side.ofSize(5), null);
            tally.onlyInTarget.increment();
            tally.onlyInSource.add(3);
            tally.differ.increment();
            tally.errors.increment();
            tally.identical.add(40);
            summary = VerifySummary.of("src", "dst", tally, null);
        }
        String html = new VerifyReport(Instant.EPOCH, Instant.EPOCH, summary.result(), List.of(summary)).html(2);

        int differs = html.indexOf("* differs: 1");
        int errors = html.indexOf("! could not compare: 1");
        int sourceOnly = html.indexOf("+ only in the source: 3");
        int targetOnly = html.indexOf("- only in the target: 1");
        assertTrue(differs > 0 && differs < errors && errors < sourceOnly && sourceOnly < targetOnly, html);
        // sorted within the group, bounded at 2 of 3, the rest counted with the file that lists them all
        assertTrue(html.indexOf("+ a/1.pdf") > sourceOnly && html.indexOf("+ a/1.pdf") < html.indexOf("+ b/2.pdf"), html);
        assertFalse(html.contains("+ c/3.pdf"), html);
        assertTrue(html.contains("and 1 more — the full list is in " + dir.resolve("verify-x-src.txt").toAbsolutePath()), html);
        assertTrue(html.contains("<td>1000 (") && html.contains("<td>11 ("), "sizes of each side: " + html);
        assertTrue(html.contains("<td>2026-12-06T09:00:00Z</td><td>11 (") && html.contains("<td>2026-12-07T09:30:00Z</td>"), "both sides' times: " + html);
        assertTrue(html.contains("<td>2026-12-07T10:00:00Z</td>") && html.contains("<td>2026-12-07T11:00:00Z</td>"), html);
        assertTrue(html.contains("Next step: Copy again; if it stays, compare the objects by hand."), html);
        assertTrue(html.contains("Next step: Run copy (or let run sync)"), html);
        assertTrue(html.contains("migration.remove=true deletes them"), html);
        assertTrue(html.contains("AccessDenied"), html);
        assertTrue(html.contains("= identical: 40 keys (not listed)"), html);
        assertEquals(-1, html.indexOf("and 0 more"), html);
    }

    @Test
    void theJsonKeepsItsShapeWithoutThePagesMarks(@TempDir Path dir) throws Exception {
        VerifySummary summary;
        try (VerifyTally tally = new VerifyTally(dir.resolve("verify-x-src.txt"))) {
            tally.mark('+', "a/1.pdf", null, VerifyMark.Side.ofSize(1), null);
            tally.onlyInSource.increment();
            summary = VerifySummary.of("src", "dst", tally, null);
        }
        Path json = new VerifyReport(Instant.EPOCH, Instant.EPOCH, summary.result(), List.of(summary))
                .write(dir, "20261207-000000-000", new io.github.miniomigrator.SecretMask(List.of()));
        String text = java.nio.file.Files.readString(json);
        assertTrue(text.contains("\"markers\"") && text.contains("+ a/1.pdf"), text);
        assertFalse(text.contains("\"marks\""), text);
        assertTrue(java.nio.file.Files.isRegularFile(dir.resolve("index.html")), "a report written rewrites the index");
    }
}
