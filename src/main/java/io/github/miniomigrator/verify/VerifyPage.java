package io.github.miniomigrator.verify;

import io.github.miniomigrator.report.HtmlReport;
import io.github.miniomigrator.report.Sizes;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;

/**
 * One mapping's marked keys on verify's page: grouped by marker, the problems first ("*", "!", "+", "-"), sorted by
 * key, at most a bounded number per group with the count of the rest and where the full list is; identical keys only
 * counted. Under each group the next step.
 */
final class VerifyPage {
    /** At most this many keys per group on the page (the tally keeps no more). */
    static final int SHOWN = VerifyTally.KEPT;

    private VerifyPage() {
    }

    static void groups(StringBuilder html, VerifySummary m, int shown) {
        html.append("<h2>").append(HtmlReport.esc(m.sourceBucket() + " → " + m.target())).append("</h2>");
        group(html, m, '*', "differs", m.differ(), "Copy again; if it stays, compare the objects by hand.", shown);
        group(html, m, '!', "could not compare", m.errors(), "The reason is beside each key: fix it (access, network, a restore "
                + "from an archive class) and verify again.", shown);
        group(html, m, '+', "only in the source", m.onlyInSource(), "Run copy (or let run sync): these are not on the target yet "
                + "— a key written in the last minutes may be an in-flight write.", shown);
        group(html, m, '-', "only in the target", m.onlyInTarget(), "The target has keys the source lacks: copy with "
                + "migration.remove=true deletes them, or they were written on the target after the cutover.", shown);
        html.append("<p>= identical: ").append(m.identical()).append(" keys (not listed)</p>");
    }

    private static void group(StringBuilder html, VerifySummary m, char marker, String title, long count, String nextStep, int shown) {
        if (count == 0) {
            return;
        }
        List<VerifyMark> marks = m.marks().stream().filter(k -> k.marker() == marker).sorted(Comparator.comparing(VerifyMark::key))
                .limit(shown).toList();
        html.append("<h3 id='").append(id(m, marker)).append("'>").append(marker).append(' ').append(HtmlReport.esc(title)).append(": ")
                .append(count).append("</h3><p class=next>Next step: ").append(HtmlReport.esc(nextStep)).append("</p>");
        html.append("<table><tr><th class=l>key</th><th>source size</th><th>source modified</th><th>target size</th><th>target modified</th><th class=l>why</th></tr>");
        for (VerifyMark k : marks) {
            html.append("<tr><td class=l>").append(HtmlReport.esc(marker + " " + k.key())).append("</td>")
                    .append(HtmlReport.cells(size(k.source()), modified(k.source()), size(k.target()), modified(k.target())))
                    .append("<td class=l>").append(HtmlReport.esc(k.why() == null ? "" : k.why())).append("</td></tr>");
        }
        html.append("</table>");
        if (count > marks.size()) {
            html.append("<p>and ").append(count - marks.size()).append(" more — the full list is in ")
                    .append(HtmlReport.esc(m.markerFile())).append("</p>");
        }
    }

    private static String id(VerifySummary m, char marker) {
        return HtmlReport.esc(m.sourceBucket()) + "-" + switch (marker) {
            case '*' -> "differs";
            case '!' -> "errors";
            case '+' -> "source-only";
            default -> "target-only";
        };
    }

    private static String size(VerifyMark.Side side) {
        return side == null ? "—" : side.size() + " (" + Sizes.human(side.size()) + ")";
    }

    private static String modified(VerifyMark.Side side) {
        return side == null || side.modified() == null ? "—" : side.modified().truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
