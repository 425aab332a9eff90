package io.github.miniomigrator.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.github.miniomigrator.SecretMask;
import io.github.miniomigrator.i18n.Language;
import io.github.miniomigrator.i18n.Messages;
import io.github.miniomigrator.report.HtmlReport;
import io.github.miniomigrator.report.ReportIndex;
import io.github.miniomigrator.report.Sizes;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** verify's report: a console table, JSON and Markdown in migration.report.dir; exit 0 identical, 1 differences, 2 could not compare. */
public record VerifyReport(Instant started, Instant finished, String result, List<VerifySummary> mappings) {

    public static VerifyReport of(Instant started, List<VerifySummary> mappings) {
        String result = mappings.stream().anyMatch(m -> m.result().equals("could not compare")) ? "could not compare"
                : mappings.stream().allMatch(m -> m.result().equals("identical")) ? "identical" : "differences";
        return new VerifyReport(started, Instant.now(), result, mappings);
    }

    public int exitCode() {
        return switch (result) {
            case "identical" -> 0;
            case "differences" -> 1;
            default -> 2;
        };
    }

    /** The table of the Markdown report, in English. */
    public String table() {
        return table(Messages.of(Language.EN));
    }

    private String table(Messages messages) {
        StringBuilder t = new StringBuilder();
        t.append(messages.get("cli.verify.columns")).append('\n');
        t.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (VerifySummary m : mappings) {
            t.append(String.format(Locale.ROOT, "| %s → %s | %d | %s | %d | %s | %d | %d | %d | %d | %d | %d | %d | %s |%n", m.sourceBucket(),
                    m.target(), m.sourceObjects(), Sizes.human(m.sourceBytes()), m.targetObjects(), Sizes.human(m.targetBytes()), m.identical(),
                    m.onlyInSource(), m.onlyInTarget(), m.differ(), m.errors(), m.hashNotChecked(), m.sampled(), resultWords(messages, m.result())));
        }
        return t.toString();
    }

    public void print(PrintStream out, SecretMask mask) {
        Messages messages = Messages.current();
        StringBuilder text = new StringBuilder(table(messages));
        for (VerifySummary m : mappings) {
            if (m.passError() != null) {
                text.append(messages.get("cli.verify.error", m.sourceBucket(), m.passError())).append('\n');
            }
            if (m.sampleArchived() > 0) {
                text.append(messages.get("cli.verify.sample-archived", m.sourceBucket(), m.sampleArchived())).append('\n');
            }
            m.markers().stream().limit(30).forEach(line -> text.append(line).append('\n'));
            if (m.identical() != m.sourceObjects() || !m.markers().isEmpty()) {
                text.append(messages.get("cli.verify.marker-file", m.markerFile())).append('\n');
            }
        }
        text.append(messages.get("cli.verify.markers")).append('\n');
        text.append(messages.get("cli.verify.result", resultWords(messages, result))).append('\n');
        out.print(mask.apply(text.toString()));
        out.flush();
    }

    /** The result in the output's language (identical, differences, could not compare). */
    public String resultWords() {
        return resultWords(Messages.current(), result);
    }

    /** identical, differences, could not compare: in the catalogue's words (the JSON keeps the English ones). */
    private static String resultWords(Messages messages, String result) {
        return switch (result) {
            case "identical" -> messages.get("cli.verify.result.identical");
            case "differences" -> messages.get("cli.verify.result.differences");
            case "could not compare" -> messages.get("cli.verify.result.could-not-compare");
            default -> result;
        };
    }

    /** Writes verify-<time>.json and verify-<time>.md; returns the JSON file. */
    public Path write(Path directory, String stamp, SecretMask mask) throws IOException {
        Files.createDirectories(directory);
        Path json = directory.resolve("verify-" + stamp + ".json");
        ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);
        Files.writeString(json, mask.apply(mapper.writeValueAsString(this)));
        StringBuilder md = new StringBuilder("# Verify " + finished + "\n\nResult: **" + result + "**\n\n").append(table());
        for (VerifySummary m : mappings) {
            if (!m.markers().isEmpty()) {
                md.append("\n## ").append(m.sourceBucket()).append(" → ").append(m.target()).append("\n\n```\n");
                m.markers().forEach(line -> md.append(line).append('\n'));
                md.append("```\n");
            }
        }
        md.append("\nMarkers: `=` identical, `+` only in source, `-` only in target, `*` differs, `!` could not compare.\n");
        Files.writeString(directory.resolve("verify-" + stamp + ".md"), mask.apply(md.toString()));
        Files.writeString(directory.resolve("verify-" + stamp + ".html"), mask.apply(html(VerifyPage.SHOWN)));
        ReportIndex.update(directory);
        return json;
    }

    /** The page: a table of the mappings, then each mapping's marked keys grouped, at most {@code shown} keys a group. */
    String html(int shown) {
        VerifyReport report = this;
        StringBuilder html = HtmlReport.head("minio-migrator verify " + report.finished());
        html.append("<h1>Verify report</h1><p>Result: ").append(HtmlReport.result(report.exitCode() == 0, report.result())).append("</p>");
        html.append("<table><tr><th class=l>mapping</th><th>source objects</th><th>source bytes</th><th>target objects</th><th>target bytes</th>"
                + "<th>=</th><th>+</th><th>-</th><th>*</th><th>!</th><th>hash not checked</th><th>sampled</th></tr>");
        for (VerifySummary m : report.mappings()) {
            html.append("<tr><td class=l>").append(HtmlReport.esc(m.sourceBucket() + " → " + m.target())).append("</td>")
                    .append(HtmlReport.cells(m.sourceObjects(), Sizes.human(m.sourceBytes()), m.targetObjects(), Sizes.human(m.targetBytes()), m.identical(),
                            m.onlyInSource(), m.onlyInTarget(), m.differ(), m.errors(), m.hashNotChecked(), m.sampled())).append("</tr>");
        }
        html.append("</table><p>= identical, + only in source, - only in target, * differs, ! could not compare</p>");
        for (VerifySummary m : report.mappings()) {
            if (m.passError() != null) {
                html.append("<p class=bad>").append(HtmlReport.esc(m.sourceBucket() + ": " + m.passError())).append("</p>");
            }
            VerifyPage.groups(html, m, shown);
        }
        return html.append("</body></html>").toString();
    }
}
