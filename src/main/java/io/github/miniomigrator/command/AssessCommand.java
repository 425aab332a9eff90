package io.github.miniomigrator.command;

import io.github.miniomigrator.MigrationRuntime;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.config.Provider;
import io.github.miniomigrator.config.RequestRate;
import io.github.miniomigrator.config.Setting;
import io.github.miniomigrator.config.StoreSide;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.copy.Bandwidth;
import io.github.miniomigrator.listing.ListingEntry;
import io.github.miniomigrator.report.ReportFiles;
import io.github.miniomigrator.report.Sizes;
import io.github.miniomigrator.store.ArchivedObjectException;
import io.github.miniomigrator.store.SourceObject;
import io.github.miniomigrator.store.SourceStore;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ThreadLocalRandom;

/**
 * `assess`: the runbook's first question, "how much data, how many files", answered by listing only: per bucket the
 * count, bytes, a size histogram, the largest objects, what the target would refuse, and an estimated copy time from a
 * short measured read of a few objects and the bandwidth timetable. Reads a handful of objects; writes nothing.
 */
public final class AssessCommand {
    static final long[] BOUNDS = {0, 4L << 10, 64L << 10, 1L << 20, 16L << 20, 128L << 20, 1L << 30, 16L << 30};
    static final String[] LABELS = {"0 B", "< 4 KiB", "< 64 KiB", "< 1 MiB", "< 16 MiB", "< 128 MiB", "< 1 GiB", "< 16 GiB", ">= 16 GiB"};

    record BucketAssessment(String bucket, String target, long objects, long bytes, Map<String, Long> sizes, List<String> largest,
            long keysTooLong, List<String> tooLongExamples, long sampled, long sampledWithRenamedMetadata, double measuredBytesPerSecond,
            double measuredSecondsPerObject, String estimate) {
    }

    private AssessCommand() {
    }

    public static int run(Settings settings, PrintStream out) throws Exception {
        List<BucketMapping> mappings = Preflight.checkSettings(settings);
        Provider provider = settings.provider();
        int concurrency = settings.concurrency();
        Bandwidth bandwidth = Bandwidth.parse(settings.get(Setting.BANDWIDTH), Clock.systemDefaultZone());
        List<RequestRate> requestRates = java.util.Arrays.stream(StoreSide.values()).map(side -> RequestRate.of(settings, side))
                .flatMap(java.util.Optional::stream).toList();
        List<BucketAssessment> results = new ArrayList<>();
        try (MigrationRuntime runtime = MigrationRuntime.start(settings)) {
            for (BucketMapping mapping : mappings) {
                out.println("Assessing " + mapping.sourceBucket() + " ...");
                results.add(assess(runtime.sourceStore(), mapping, provider, concurrency, bandwidth, requestRates));
            }
        }
        StringBuilder text = new StringBuilder();
        for (BucketAssessment a : results) {
            text.append(String.format(Locale.ROOT, "%s -> %s: %d objects, %s%n", a.bucket(), a.target(), a.objects(), Sizes.human(a.bytes())));
            a.sizes().forEach((label, count) -> text.append(String.format(Locale.ROOT, "  %-10s %d%n", label, count)));
            text.append("  largest: ").append(String.join(", ", a.largest())).append('\n');
            if (a.keysTooLong() > 0) {
                text.append("  ").append(a.keysTooLong()).append(" keys would be longer than 1,023 bytes on the target (the target refuses them), e.g. ")
                        .append(String.join(", ", a.tooLongExamples())).append('\n');
            }
            text.append(String.format(Locale.ROOT, "  metadata: %d of %d sampled objects have keys %s renames%n", a.sampledWithRenamedMetadata(),
                    a.sampled(), provider.displayName()));
            text.append("  estimated copy time: ").append(a.estimate()).append('\n');
        }
        out.print(text);
        Path dir = Path.of(settings.get(Setting.REPORT_DIR));
        Files.createDirectories(dir);
        Path file = dir.resolve("assess-" + ReportFiles.stamp(Instant.now()) + ".json");
        Files.writeString(file, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(results));
        Files.writeString(dir.resolve(file.getFileName().toString().replace(".json", ".md")),
                "# Assessment\n\n```\n" + text + "```\n", StandardCharsets.UTF_8);
        out.println("Report: " + file.toAbsolutePath());
        return 0;
    }

    static BucketAssessment assess(SourceStore source, BucketMapping mapping, Provider provider, int concurrency, Bandwidth bandwidth,
            List<RequestRate> requestRates)
            throws Exception {
        long objects = 0;
        long bytes = 0;
        long[] histogram = new long[LABELS.length];
        PriorityQueue<ListingEntry> largest = new PriorityQueue<>(Comparator.comparingLong(ListingEntry::size));
        long tooLong = 0;
        List<String> tooLongExamples = new ArrayList<>();
        List<ListingEntry> sample = new ArrayList<>();
        Iterator<ListingEntry> listing = source.list(mapping.sourceBucket());
        while (listing.hasNext()) {
            ListingEntry entry = listing.next();
            objects++;
            bytes += entry.size();
            histogram[bucketOf(entry.size())]++;
            largest.add(entry);
            if (largest.size() > 10) {
                largest.poll();
            }
            if (mapping.targetKey(entry.key()).getBytes(StandardCharsets.UTF_8).length > 1023) {
                tooLong++;
                if (tooLongExamples.size() < 5) {
                    tooLongExamples.add(entry.key().substring(0, Math.min(60, entry.key().length())) + "...");
                }
            }
            if (sample.size() < 50) {
                sample.add(entry);
            } else {
                long slot = ThreadLocalRandom.current().nextLong(objects);
                if (slot < 50) {
                    sample.set((int) slot, entry);
                }
            }
        }
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (int i = 0; i < LABELS.length; i++) {
            sizes.put(LABELS[i], histogram[i]);
        }
        List<String> biggest = largest.stream().sorted(Comparator.comparingLong(ListingEntry::size).reversed())
                .map(e -> e.key() + " (" + Sizes.human(e.size()) + ")").toList();
        // a short measured read: at most 5 sampled objects, at most 32 MiB each read
        long readBytes = 0;
        long renamed = 0;
        long started = System.nanoTime();
        int read = 0;
        for (ListingEntry entry : sample) {
            if (read >= 5) {
                break;
            }
            try (SourceObject response = source.get(mapping.sourceBucket(), entry.key()); InputStream in = response) {
                if (response.headers().names().stream().map(n -> n.toLowerCase(Locale.ROOT)).filter(n -> n.startsWith("x-amz-meta-"))
                        .anyMatch(n -> !provider.metadataKey(n.substring(11)).equals(n.substring(11)))) {
                    renamed++;
                }
                readBytes += in.readNBytes((int) Math.min(entry.size(), 32L << 20)).length;
                read++;
            } catch (ArchivedObjectException e) {
                // cannot be read until restored: the copy names it as failed; the read rate is measured on others
            }
        }
        double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
        double bytesPerSecond = readBytes / seconds;
        double secondsPerObject = read == 0 ? 0 : seconds / read;
        return new BucketAssessment(mapping.sourceBucket(), mapping.describeTarget(), objects, bytes, sizes, biggest, tooLong, tooLongExamples,
                read, renamed, bytesPerSecond, secondsPerObject, estimate(objects, bytes, concurrency, bytesPerSecond, secondsPerObject, bandwidth,
                requestRates));
    }

    /**
     * Transfers run side by side: the larger of per-object latency and byte throughput decides, capped by the bandwidth limit
     * and, where requests per second are limited (migration.rate, migration.source.rate), by one request per object.
     */
    static String estimate(long objects, long bytes, int concurrency, double bytesPerSecond, double secondsPerObject, Bandwidth bandwidth,
            List<RequestRate> requestRates) {
        if (objects == 0) {
            return "nothing to copy";
        }
        double byLatency = objects * secondsPerObject / concurrency;
        double byThroughput = bytesPerSecond <= 0 ? 0 : bytes / (bytesPerSecond * concurrency);
        double seconds = Math.max(byLatency, byThroughput);
        long limit = bandwidth.limitNow();
        if (limit > 0) {
            seconds = Math.max(seconds, (double) bytes / limit);
        }
        String basis = String.format(Locale.ROOT, "from reading a few objects; at the bandwidth limit in force now: %s",
                limit == 0 ? "none" : Sizes.human(limit) + "/s");
        // every object costs at least one request on each side (a GET, a PUT): a request rate limit sets a floor
        java.util.Optional<RequestRate> slowest = requestRates.stream().min(Comparator.comparingDouble(RequestRate::perSecond));
        if (slowest.isPresent() && objects / slowest.get().perSecond() > seconds) {
            return String.format(Locale.ROOT, "about %s at least, held by the request rate limit (%s, one request per object or more; %s)",
                    human(objects / slowest.get().perSecond()), slowest.get().describe(), basis);
        }
        return String.format(Locale.ROOT, "about %s (%s)", human(seconds), basis);
    }

    private static String human(double seconds) {
        if (seconds < 120) {
            return String.format(Locale.ROOT, "%.0f s", seconds);
        }
        if (seconds < 7200) {
            return String.format(Locale.ROOT, "%.0f min", seconds / 60);
        }
        return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
    }

    static int bucketOf(long size) {
        if (size == 0) {
            return 0;
        }
        for (int i = 1; i < BOUNDS.length; i++) {
            if (size < BOUNDS[i]) {
                return i;
            }
        }
        return LABELS.length - 1;
    }
}
