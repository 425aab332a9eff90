package io.github.miniomigrator.report;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The one naming scheme of the files in migration.report.dir: {@code <what>-<time>…}, the time in UTC as
 * {@code yyyyMMdd-HHmmss-SSS}, so that a folder of reports sorts by time and every file of one run carries one time.
 */
public final class ReportFiles {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);

    private ReportFiles() {
    }

    /**
     * The lines that name a report: "Report: <the JSON>" (scripts read it), and "Page: <the HTML beside it>" when there
     * is one, for a browser.
     */
    public static void printWritten(java.io.PrintStream out, java.nio.file.Path json) {
        java.nio.file.Path file = json.toAbsolutePath();
        out.println(io.github.miniomigrator.i18n.Messages.text("cli.report.written", file));
        String name = file.getFileName().toString();
        if (name.endsWith(".json")) {
            java.nio.file.Path page = file.resolveSibling(name.substring(0, name.length() - ".json".length()) + ".html");
            if (java.nio.file.Files.isRegularFile(page)) {
                out.println(io.github.miniomigrator.i18n.Messages.text("cli.report.page", page));
            }
        }
    }

    /** "20261207-102613-972" for 2026-12-07T10:26:13.972Z. */
    public static String stamp(Instant time) {
        return STAMP.format(time);
    }
}
