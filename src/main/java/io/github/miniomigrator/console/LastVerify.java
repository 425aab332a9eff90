package io.github.miniomigrator.console;

import io.github.miniomigrator.report.ReportIndex;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The newest verify report in migration.report.dir (the `verify` command's or a cutover's final one): its time, result and page. */
final class LastVerify {
    private static final long FRESH_MILLIS = 10_000;
    private final Path directory;
    private volatile Map<String, Object> cached;
    private volatile long readAt;

    LastVerify(Path directory) {
        this.directory = directory;
    }

    /** Read again at most every ten seconds: the folder may hold thousands of reports. */
    Map<String, Object> read() {
        long now = System.currentTimeMillis();
        Map<String, Object> last = cached;
        if (last != null && now - readAt < FRESH_MILLIS) {
            return last;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        Optional<String> newest = ReportIndex.newest(directory, "verify");
        m.put("found", newest.isPresent());
        newest.ifPresent(json -> {
            m.put("time", ReportIndex.time(json));
            m.put("result", ReportIndex.result(directory.resolve(json)));
            m.put("page", Reports.PATH + "/" + json.replaceAll("\\.json$", ".html"));
        });
        cached = m;
        readAt = now;
        return m;
    }
}
