package io.github.miniomigrator.command;

import io.github.miniomigrator.MigrationRuntime;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.config.KeyFilter;
import io.github.miniomigrator.config.Provider;
import io.github.miniomigrator.config.RequestRate;
import io.github.miniomigrator.config.Setting;
import io.github.miniomigrator.config.StoreSide;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.copy.Bandwidth;
import io.github.miniomigrator.i18n.Messages;
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
        KeyFilter scope = KeyFilter.of(settings);
        List<BucketAssessment> results = new ArrayList<>();
        try (MigrationRuntime runtime = MigrationRuntime.start(settings)) {
            for (BucketMapping mapping : mappings) {
                out.println(Messages.text("cli.assess.start", mapping.sourceBucket()));
                results.add(assess(runtime.sourceStore(), mapping, scope, provider, concurrency, bandwidth, requestRates));
            }
        }
        StringBuilder text = new StringBuilder();
        for (BucketAssessment a : results) {
            text.append(Messages.text("cli.assess.summary", a.bucket(), a.target(), a.objects(), Sizes.human(a.bytes()))).append('\n');
            a.sizes().forEach((label, count) -> text.append(String.format(Locale.ROOT, "  %-10s %d%n", label, count)));
            text.append("  ").append(Messages.text("cli.assess.largest", String.join(", ", a.largest()))).append('\n');
            if (a.keysTooLong() > 0) {
                text.append("  ").append(Messages.text("cli.assess.keys-too-long", a.keysTooLong(), String.join(", ", a.tooLongExamples())))
                        .append('\n');
            }
            text.append("  ").append(Messages.text("cli.assess.metadata", a.sampledWithRenamedMetadata(), a.sampled(), provider.displayName()))
                    .append('\n');
            text.append("  ").append(Messages.text("cli.assess.estimate", a.estimate())).append('\n');
        }
        out.print(text);
        Path dir = Path.of(settings.get(Setting.REPORT_DIR));
        Files.createDirectories(dir);
        Path file = dir.resolve("assess-" + ReportFiles.stamp(Instant.now()) + ".json");
        Files.writeString(file, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(results));
        Files.writeString(dir.resolve(file.getFileName().toString().replace(".json", ".md")),
                "# " + Messages.text("cli.assess.report-title") + "\n\n```\n" + text + "```\n", StandardCharsets.UTF_8);
        io.github.miniomigrator.report.ReportIndex.update(dir); // the index lists every report, an assessment's too
        ReportFiles.printWritten(out, file);
        return 0;
    }

    /** @param scope the keys the migration covers (migration.include / migration.exclude): the others are not counted */
    static BucketAssessment assess(SourceStore source, BucketMapping mapping, KeyFilter scope, Provider provider, int concurrency, Bandwidth bandwidth,
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
            if (!scope.inScope(entry.key())) {
                continue;
            }
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
        // a short measured read: the first read only opens the connection (and warms this JVM's request path), then up to
        // 5 sampled objects for the wait per request, and the largest object (up to 32 MiB of it) for the rate of bytes
        List<ListingEntry> reads = new ArrayList<>(sample.subList(0, Math.min(5, sample.size())));
        ListingEntry biggestEntry = largest.stream().max(Comparator.comparingLong(ListingEntry::size)).orElse(null);
        if (biggestEntry != null && biggestEntry.size() > 0 && reads.stream().noneMatch(e -> e.key().equals(biggestEntry.key()))) {
            reads.add(biggestEntry);
        }
        long renamed = 0;
        List<Read> measured = new ArrayList<>();
        // the smallest, read to its end: its connection goes back to the pool, open for the measured reads
        ListingEntry opener = reads.stream().min(Comparator.comparingLong(ListingEntry::size)).orElse(null);
        boolean warm = false;
        for (ListingEntry entry : reads) {
            try {
                if (!warm) {
                    warm = true;
                    read(source, mapping.sourceBucket(), opener, provider, 32L << 20);
                }
                Read read = read(source, mapping.sourceBucket(), entry, provider, 32L << 20);
                measured.add(read);
                renamed += read.renamedMetadata() ? 1 : 0;
            } catch (ArchivedObjectException e) {
                // cannot be read until restored: the copy names it as failed; the read rate is measured on others
            }
        }
        Measured rates = Measured.of(measured);
        long largestSize = biggestEntry == null ? 0 : biggestEntry.size();
        return new BucketAssessment(mapping.sourceBucket(), mapping.describeTarget(), objects, bytes, sizes, biggest, tooLong, tooLongExamples,
                measured.size(), renamed, rates.bytesPerSecond(), rates.secondsPerObject(), estimate(objects, bytes, largestSize, concurrency,
                rates, bandwidth, requestRates));
    }

    /** One measured read: its bytes, the wait for the store's answer (headers), and the time its body took after that. */
    record Read(long bytes, double answerSeconds, double bodySeconds, boolean renamedMetadata) {
    }

    /**
     * What the measured reads say: how long a small object's whole read takes (its answer and its body: a server that
     * holds the body back until its answer is acknowledged shows here, not in the answer's time), how long an answer
     * takes to come (what a PUT, whose answer has no body, is taken to wait), and the rate bodies arrive at (0 where too
     * few bytes were read to say).
     */
    record Measured(double smallReadSeconds, double answerSeconds, double bytesPerSecond) {
        static final long RATE_NEEDS_BYTES = 1L << 20;
        /** Below this size a read's body comes with its answer: its time is waiting, not bytes. */
        static final long SMALL = 256L << 10;

        static Measured of(List<Read> reads) {
            if (reads.isEmpty()) {
                return new Measured(0, 0, 0);
            }
            double answers = reads.stream().mapToDouble(Read::answerSeconds).average().orElse(0);
            double smallReads = reads.stream().filter(r -> r.bytes() < SMALL).mapToDouble(r -> r.answerSeconds() + r.bodySeconds())
                    .average().orElse(answers);
            long bodyBytes = reads.stream().mapToLong(Read::bytes).sum();
            double bodySeconds = reads.stream().mapToDouble(Read::bodySeconds).sum();
            double rate = bodyBytes < RATE_NEEDS_BYTES ? 0 : bodyBytes / Math.max(bodySeconds, 1e-3);
            return new Measured(smallReads, answers, rate);
        }

        /** A GET read whole and a PUT's answer: the waits one object costs, besides its bytes. */
        double secondsPerObject() {
            return smallReadSeconds + answerSeconds;
        }
    }

    private static Read read(SourceStore source, String bucket, ListingEntry entry, Provider provider, long upTo) throws Exception {
        long started = System.nanoTime();
        try (SourceObject response = source.get(bucket, entry.key()); InputStream in = response) {
            long answered = System.nanoTime();
            boolean renamed = response.headers().names().stream().map(n -> n.toLowerCase(Locale.ROOT)).filter(n -> n.startsWith("x-amz-meta-"))
                    .anyMatch(n -> !provider.metadataKey(n.substring(11)).equals(n.substring(11)));
            byte[] buffer = new byte[64 << 10];
            long want = Math.min(entry.size(), upTo);
            long got = 0;
            for (int n; got < want && (n = in.read(buffer, 0, (int) Math.min(buffer.length, want - got))) > 0; ) {
                got += n;
            }
            return new Read(got, (answered - started) / 1e9, (System.nanoTime() - answered) / 1e9, renamed);
        }
    }

    /**
     * Each object costs a request on each side (a GET read whole; a PUT, not measured — assess writes nothing — taken
     * to wait as long as the source's answers) plus its bytes at the measured rate; transfers run side by side, the
     * largest object takes at least its own time, and the tool's own CPU per object sets a floor. Capped by the bandwidth
     * limit and, where requests per second are limited (migration.rate, migration.source.rate), by one request per object.
     */
    static final double CLIENT_CPU_SECONDS_PER_OBJECT = 0.002;

    static String estimate(long objects, long bytes, long largestSize, int concurrency, Measured measured, Bandwidth bandwidth,
            List<RequestRate> requestRates) {
        if (objects == 0) {
            return Messages.text("cli.assess.nothing-to-copy");
        }
        double perObject = measured.secondsPerObject();
        double bytesTime = measured.bytesPerSecond() <= 0 ? 0 : bytes / measured.bytesPerSecond();
        double seconds = (objects * perObject + bytesTime) / Math.max(1, concurrency);
        double largestAlone = perObject + (measured.bytesPerSecond() <= 0 ? 0 : largestSize / measured.bytesPerSecond());
        seconds = Math.max(seconds, largestAlone);
        // the tool's own work on each object (signing, checksums, the listing's parse): about 2 ms of CPU on a core of
        // the machines measured, shared by all transfers
        seconds = Math.max(seconds, objects * CLIENT_CPU_SECONDS_PER_OBJECT / Runtime.getRuntime().availableProcessors());
        long limit = bandwidth.limitNow();
        if (limit > 0) {
            seconds = Math.max(seconds, (double) bytes / limit);
        }
        String basis = Messages.text("cli.assess.basis", limit == 0 ? Messages.text("cli.assess.no-limit") : Sizes.human(limit) + "/s");
        // every object costs at least one request on each side (a GET, a PUT): a request rate limit sets a floor
        java.util.Optional<RequestRate> slowest = requestRates.stream().min(Comparator.comparingDouble(RequestRate::perSecond));
        if (slowest.isPresent() && objects / slowest.get().perSecond() > seconds) {
            return Messages.text("cli.assess.estimate-rate-limited", human(objects / slowest.get().perSecond()), slowest.get().describe(), basis);
        }
        return Messages.text("cli.assess.estimate-about", human(seconds), basis);
    }

    static String human(double seconds) {
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
