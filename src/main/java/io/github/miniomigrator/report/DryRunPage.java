package io.github.miniomigrator.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.miniomigrator.SecretMask;
import io.github.miniomigrator.copy.PassStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The dry run's page ({@code dry-run-<time>.html} beside its JSON): per mapping what a real pass would do — copy how
 * many and how much, delete how many, keep which extras — and the first keys of each with their reasons, sizes and
 * ETags; the rest are in the JSON, which lists every key. Bounded whatever the bucket: at most {@link #SHOWN} keys per
 * mapping are read back from the spool onto the page.
 */
final class DryRunPage {
    static final int SHOWN = 500;
    private static final ObjectMapper JSON = new ObjectMapper();

    private DryRunPage() {
    }

    static String of(String summary, boolean ok, List<DryRunReport.Mapping> mappings, SecretMask mask) {
        StringBuilder html = HtmlReport.head("minio-migrator dry run");
        html.append("<h1>Dry run: ").append(HtmlReport.result(ok, ok ? "complete" : "incomplete")).append("</h1>");
        html.append("<p>").append(HtmlReport.esc(summary)).append(". Nothing was written; a real pass (<code>copy</code>) does this.")
                .append(ok ? "" : " A listing or comparison failed: the lists below are incomplete.").append("</p>");
        html.append("<table><tr><th class=l>mapping</th><th>would copy</th><th>bytes</th><th>would delete</th><th>extras kept</th>")
                .append("<th>identical</th><th>failed</th><th>source objects</th><th>target objects</th></tr>");
        for (DryRunReport.Mapping m : mappings) {
            PassStats s = m.stats();
            html.append("<tr><td class=l>").append(HtmlReport.esc(m.name())).append("</td>")
                    .append(HtmlReport.cells(m.plan().copyObjects.sum(), Sizes.human(m.plan().copyBytes.sum()), m.plan().deleteObjects.sum(),
                            m.plan().keptObjects.sum(), s.identicalObjects.sum(), s.failedObjects.sum(), s.sourceObjects.sum(), s.targetObjects.sum()))
                    .append("</tr>");
        }
        html.append("</table>");
        for (DryRunReport.Mapping m : mappings) {
            keys(html, m, mask);
            HtmlReport.list(html, "Failures", m.stats().failures().stream().map(mask::apply).toList());
        }
        return html.append("</body></html>").toString();
    }

    private static void keys(StringBuilder html, DryRunReport.Mapping m, SecretMask mask) {
        html.append("<h2>").append(HtmlReport.esc(m.name())).append("</h2>");
        long total = m.plan().copyObjects.sum() + m.plan().deleteObjects.sum() + m.plan().keptObjects.sum();
        if (total == 0) {
            html.append("<p>Nothing to do: the target is level with the source.</p>");
            return;
        }
        html.append("<table><tr><th class=l>action</th><th class=l>key</th><th class=l>reason</th><th>source size</th><th>target size</th></tr>");
        int[] shown = {0};
        m.plan().forEachEntry(line -> {
            if (shown[0] >= SHOWN) {
                return;
            }
            shown[0]++;
            try {
                JsonNode entry = JSON.readTree(mask.apply(line));
                html.append("<tr><td class=l>").append(HtmlReport.esc(entry.path("action").asText())).append("</td><td class=l>")
                        .append(HtmlReport.esc(entry.path("key").asText())).append("</td><td class=l>")
                        .append(HtmlReport.esc(entry.path("reason").asText())).append("</td>")
                        .append(HtmlReport.cells(size(entry, "sourceSize"), size(entry, "targetSize"))).append("</tr>");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        html.append("</table>");
        if (total > shown[0]) {
            html.append("<p>and ").append(total - shown[0]).append(" more: the JSON beside this page lists every key.</p>");
        }
    }

    private static String size(JsonNode entry, String field) {
        return entry.has(field) ? Sizes.human(entry.get(field).asLong()) : "";
    }
}
