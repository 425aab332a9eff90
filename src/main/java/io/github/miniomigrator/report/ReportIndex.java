package io.github.miniomigrator.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code index.html} in migration.report.dir: every report of the folder, newest first, with its time, command and
 * result (read from the JSON's top-level "result", without reading the rest) and links to its page and JSON. Rewritten
 * by each report writer after it wrote; bounded: the newest {@link #LISTED} are listed, the rest counted.
 */
public final class ReportIndex {
    public static final String FILE = "index.html";
    static final int LISTED = 500;
    /** copy-20261207-102613-972.json: the command, then the time ReportFiles stamps (cutover backups: without millis). */
    private static final Pattern NAME = Pattern.compile("(.+?)-(\\d{8})-(\\d{6})(?:-(\\d{3}))?\\.json");
    private static final JsonFactory JSON = new JsonFactory();
    /** What a report's JSON says, read once per file (and again only if it changed): every pass rewrites the index. */
    private static final ResultCache RESULTS = new ResultCache(2 * LISTED);

    /** The results already read, by file, with the size and time they were read at; the newest {@code kept}. */
    static final class ResultCache {
        private record Read(long size, long modified, String result) {
        }

        private final java.util.LinkedHashMap<Path, Read> reads;

        ResultCache(int kept) {
            this.reads = new java.util.LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Path, Read> eldest) {
                    return size() > kept;
                }
            };
        }

        synchronized String of(Path json) {
            long size;
            long modified;
            try {
                size = Files.size(json);
                modified = Files.getLastModifiedTime(json).toMillis();
            } catch (IOException e) {
                return null;
            }
            Path key = json.toAbsolutePath().normalize();
            Read read = reads.get(key);
            if (read == null || read.size() != size || read.modified() != modified) {
                read = new Read(size, modified, result(json));
                reads.put(key, read);
            }
            return read.result();
        }
    }

    private ReportIndex() {
    }

    /** One report: its JSON's file name, command and stamp (yyyyMMdd-HHmmss[-SSS]), for sorting and showing. */
    record Entry(String json, String command, String stamp) {
        String time() {
            Matcher m = NAME.matcher(json);
            m.matches();
            String d = m.group(2);
            String t = m.group(3);
            return d.substring(0, 4) + "-" + d.substring(4, 6) + "-" + d.substring(6) + " " + t.substring(0, 2) + ":" + t.substring(2, 4) + ":"
                    + t.substring(4) + (m.group(4) == null ? "" : "." + m.group(4)) + " UTC";
        }
    }

    /** Rewrites the folder's index and returns it. */
    public static Path write(Path directory) throws IOException {
        PriorityQueue<Entry> newest = new PriorityQueue<>(Comparator.comparing(Entry::stamp)); // the oldest kept on top
        long total = 0;
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Matcher m = NAME.matcher(file.getFileName().toString());
                if (!m.matches()) {
                    continue;
                }
                total++;
                newest.add(new Entry(file.getFileName().toString(), m.group(1),
                        m.group(2) + "-" + m.group(3) + "-" + (m.group(4) == null ? "000" : m.group(4))));
                if (newest.size() > LISTED) {
                    newest.poll();
                }
            }
        }
        List<Entry> listed = new ArrayList<>(newest);
        listed.sort(Comparator.comparing(Entry::stamp).reversed());
        StringBuilder html = HtmlReport.head("minio-migrator reports");
        html.append("<h1>Reports</h1><p>").append(total).append(" reports in this folder, newest first.</p>");
        html.append("<table><tr><th class=l>time</th><th class=l>command</th><th class=l>result</th><th class=l>page</th><th class=l>JSON</th></tr>");
        for (Entry e : listed) {
            String result = RESULTS.of(directory.resolve(e.json()));
            String page = e.json().substring(0, e.json().length() - ".json".length()) + ".html";
            html.append("<tr><td class=l>").append(HtmlReport.esc(e.time())).append("</td><td class=l>").append(HtmlReport.esc(e.command()))
                    .append("</td><td class=l>").append(result == null ? "" : HtmlReport.result(good(result), result)).append("</td><td class=l>")
                    .append(Files.isRegularFile(directory.resolve(page)) ? link(page) : "").append("</td><td class=l>").append(link(e.json()))
                    .append("</td></tr>");
        }
        html.append("</table>");
        if (total > listed.size()) {
            html.append("<p>and ").append(total - listed.size()).append(" older reports not listed (the newest ").append(LISTED)
                    .append(" are)</p>");
        }
        Path index = directory.resolve(FILE);
        Path temporary = directory.resolve("." + FILE + "-" + java.util.UUID.randomUUID() + ".tmp"); // two writers never share one
        try {
            Files.writeString(temporary, html.append("</body></html>").toString());
            Files.move(temporary, index, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary); // gone after the move; a failed write leaves nothing behind
        }
        return index;
    }

    /** Rewrites the index, quietly: a report was written whatever becomes of its index. */
    public static void update(Path directory) {
        try {
            write(directory);
        } catch (IOException | RuntimeException e) {
            // the reports themselves are written; the index catches up with the next one
        }
    }

    private static boolean good(String result) {
        return result.equals("ok") || result.equals("identical");
    }

    private static String link(String file) {
        String href = java.net.URLEncoder.encode(file, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
        return "<a href='" + href + "'>" + HtmlReport.esc(file) + "</a>";
    }

    /** The newest report of this command in the folder (its JSON's file name), by the stamp in its name; empty when none. */
    public static java.util.Optional<String> newest(Path directory, String command) {
        String newest = null;
        String newestStamp = "";
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Matcher m = NAME.matcher(file.getFileName().toString());
                if (m.matches() && m.group(1).equals(command)) {
                    String stamp = m.group(2) + "-" + m.group(3) + "-" + (m.group(4) == null ? "000" : m.group(4));
                    if (stamp.compareTo(newestStamp) > 0) {
                        newestStamp = stamp;
                        newest = file.getFileName().toString();
                    }
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            return java.util.Optional.empty(); // no folder yet: no report
        }
        return java.util.Optional.ofNullable(newest);
    }

    /** The time a report's file name carries, as the index shows it ("2026-12-07 10:26:13.972 UTC"). */
    public static String time(String json) {
        Matcher m = NAME.matcher(json);
        return m.matches() ? new Entry(json, m.group(1), "").time() : "";
    }

    /** The top-level "result" of a report's JSON, reading no further than it; null where there is none. */
    public static String result(Path json) {
        try (JsonParser parser = JSON.createParser(json.toFile())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals("result") && value == JsonToken.VALUE_STRING) {
                    return parser.getText();
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null; // a report being written, or not JSON: shown without a result
        }
    }
}
