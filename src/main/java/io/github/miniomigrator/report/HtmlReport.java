package io.github.miniomigrator.report;

import io.github.miniomigrator.copy.Throughput;
import java.util.List;
import java.util.Locale;

/**
 * Self-contained HTML reports (no script, no external file): the copy report with its throughput chart, and the pieces
 * every report page is made of (the verify report builds its page from them).
 */
public final class HtmlReport {
    private static final String STYLE = "body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;"
            + "margin:1em 0}td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}th{background:#f3f3f3}td.l,th.l{text-align:left}"
            + ".ok{color:#080;font-weight:bold}.bad{color:#b00;font-weight:bold}pre{background:#f8f8f8;padding:8px}";

    private HtmlReport() {
    }

    public static String copy(CopyReport report) {
        StringBuilder html = head("minio-migrator copy " + report.finished());
        html.append("<h1>Copy report</h1><p>Started ").append(esc(String.valueOf(report.started().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))))
                .append(", finished ").append(esc(String.valueOf(report.finished().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)))).append(". Result: ").append(result(report.ok(), report.ok()
                        ? "every object is in place" : "failed")).append("</p>");
        html.append("<p>Target storage class: ").append(esc(report.storageClass())).append("; bodies sent ").append(esc(report.payload()))
                .append(".</p>");
        html.append("<table><tr><th class=l>mapping</th><th>source objects</th><th>source bytes</th><th>target before</th>"
                + "<th>copied</th><th>copied bytes</th><th>identical</th><th>deleted</th><th>failed</th><th>gone</th><th>seconds</th></tr>");
        for (PassSummary p : report.mappings()) {
            html.append("<tr><td class=l>").append(esc(p.sourceBucket() + " → " + p.targetBucket() + (p.targetPrefix().isEmpty() ? "" : "/"
                    + p.targetPrefix()))).append("</td>").append(cells(p.sourceObjects(), Sizes.human(p.sourceBytes()),
                    p.targetObjectsBefore() + " (" + Sizes.human(p.targetBytesBefore()) + ")", p.copiedObjects(), Sizes.human(p.copiedBytes()),
                    p.identicalObjects(), p.deletedObjects(), p.failedObjects(), p.goneObjects(),
                    String.format(Locale.ROOT, "%.1f", p.seconds()))).append("</tr>");
        }
        html.append("</table>");
        for (PassSummary p : report.mappings()) {
            html.append("<h2>").append(esc(p.sourceBucket() + " → " + p.targetBucket())).append("</h2>");
            html.append("<p>Throughput over time</p>").append(chart(p.throughput()));
            if (p.passError() != null) {
                html.append("<p class=bad>").append(esc(p.passError())).append("</p>");
            }
            list(html, "Failures", p.failures());
            list(html, "Notes", p.notes());
        }
        return html.append("</body></html>").toString();
    }

    /** An SVG line of MiB/s between consecutive samples; a flat note when the pass was too short to draw. */
    static String chart(List<Throughput.Point> points) {
        if (points.size() < 2) {
            return "<p>(too short to chart)</p>";
        }
        double width = 600;
        double height = 160;
        double end = points.get(points.size() - 1).seconds();
        double[] rates = new double[points.size()];
        double max = 0;
        for (int i = 1; i < points.size(); i++) {
            double dt = Math.max(1e-3, points.get(i).seconds() - points.get(i - 1).seconds());
            rates[i] = (points.get(i).bytes() - points.get(i - 1).bytes()) / dt / (1 << 20);
            max = Math.max(max, rates[i]);
        }
        max = Math.max(max, 0.001);
        // a step line: the rate between two samples is drawn across the time between them
        StringBuilder path = new StringBuilder();
        for (int i = 1; i < points.size(); i++) {
            double x0 = 40 + (width - 50) * points.get(i - 1).seconds() / Math.max(end, 1e-3);
            double x1 = 40 + (width - 50) * points.get(i).seconds() / Math.max(end, 1e-3);
            double y = height - 20 - (height - 40) * rates[i] / max;
            path.append(i == 1 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f,%.1f L%.1f,%.1f", x0, y, x1, y));
        }
        return String.format(Locale.ROOT, "<svg xmlns='http://www.w3.org/2000/svg' width='%.0f' height='%.0f' role='img' "
                + "aria-label='throughput'><rect x='40' y='20' width='%.0f' height='%.0f' fill='#fafafa' stroke='#ccc'/>"
                + "<path d='%s' fill='none' stroke='#2a6' stroke-width='2'/><text x='2' y='28' font-size='11'>%.1f MiB/s</text>"
                + "<text x='2' y='%.0f' font-size='11'>0</text><text x='%.0f' y='%.0f' font-size='11'>%.1f s</text></svg>",
                width, height, width - 50, height - 40, path, max, height - 20, width - 40, height - 4, end);
    }

    /** The start of a page: its title and the shared style. */
    public static StringBuilder head(String title) {
        return new StringBuilder("<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>").append(esc(title))
                .append("</title><style>").append(STYLE).append("</style></head><body>");
    }

    /** A result, green when good, red when not. */
    public static String result(boolean good, String text) {
        return "<span class=" + (good ? "ok" : "bad") + ">" + esc(text) + "</span>";
    }

    /** Table cells, one per value. */
    public static String cells(Object... values) {
        StringBuilder row = new StringBuilder();
        for (Object value : values) {
            row.append("<td>").append(esc(String.valueOf(value))).append("</td>");
        }
        return row.toString();
    }

    /** A titled list of lines (differences, failures), when there are any. */
    public static void list(StringBuilder html, String title, List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        html.append("<h3>").append(esc(title)).append("</h3><pre>");
        lines.forEach(line -> html.append(esc(line)).append('\n'));
        html.append("</pre>");
    }

    /** Text made safe for HTML. */
    public static String esc(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }
}
