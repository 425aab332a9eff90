package io.github.miniomigrator.command;

import io.github.miniomigrator.MigrationRuntime;
import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.config.Setting;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.i18n.Messages;
import io.github.miniomigrator.listing.ListingEntry;
import io.github.miniomigrator.store.StoreException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * `monitor`: the runbook's "watch the target for days". Every interval, each target's object count and bytes (one
 * listing, streamed) go to the log and as a JSON line to monitor.jsonl in migration.report.dir. Stops on SIGTERM.
 */
public final class MonitorCommand {
    private static final Logger LOG = LoggerFactory.getLogger(MonitorCommand.class);

    private MonitorCommand() {
    }

    /** The line monitor starts with: what it records, how often, where. */
    static String startLine(int targets, Duration interval, Path log) {
        return Messages.text("cli.monitor.start", targets, interval, log);
    }

    public static int run(Settings settings, PrintStream out) throws Exception {
        List<BucketMapping> mappings = Preflight.checkSettings(settings);
        Duration interval = settings.duration(Setting.MONITOR_INTERVAL);
        if (interval.isZero()) {
            interval = Duration.ofHours(1);
        }
        Path log = Path.of(settings.get(Setting.REPORT_DIR)).resolve("monitor.jsonl");
        Files.createDirectories(log.getParent());
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(stop::countDown, "sigterm");
        Runtime.getRuntime().addShutdownHook(hook);
        try (MigrationRuntime runtime = MigrationRuntime.start(settings)) {
            out.println(startLine(mappings.size(), interval, log.toAbsolutePath()));
            do {
                for (BucketMapping mapping : mappings) {
                    long objects = 0;
                    long bytes = 0;
                    String line;
                    try {
                        Iterator<ListingEntry> listing = runtime.targetStore().list(mapping.targetBucket(), mapping.targetPrefix());
                        while (listing.hasNext()) {
                            objects++;
                            bytes += listing.next().size();
                        }
                        line = String.format("{\"time\":\"%s\",\"target\":\"%s\",\"objects\":%d,\"bytes\":%d}", Instant.now(),
                                mapping.describeTarget().replace("\"", "\\\""), objects, bytes);
                    } catch (RuntimeException e) {
                        line = String.format("{\"time\":\"%s\",\"target\":\"%s\",\"error\":\"%s\"}", Instant.now(),
                                mapping.describeTarget().replace("\"", "\\\""), StoreException.describe(e).replace("\"", "'"));
                    }
                    LOG.info("monitor {}", line);
                    out.println(line);
                    Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
            } while (!stop.await(interval.toMillis(), TimeUnit.MILLISECONDS));
            return 0;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down
            }
        }
    }
}
