package io.github.miniomigrator;

import static io.github.miniomigrator.support.TestStores.contents;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.EventsIT.Running;
import io.github.miniomigrator.events.SyncStatus;
import io.github.miniomigrator.support.FaultyProxy;
import io.github.miniomigrator.support.JvmSamples;
import io.github.miniomigrator.support.SourceChurn;
import io.github.miniomigrator.support.TestStores;
import io.github.miniomigrator.support.Wait;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 9's soak: `run` in listen mode for soak.minutes (default 20) between two filesystem-backed S3 servers on
 * loopback, while the source changes a few times a second and the listen stream is ended cleanly (last chunk, EOF)
 * every few minutes, followed by a short outage whose changes nobody announces. Threads and heap must stay flat, and
 * the target must equal the source at the end. Neither surefire nor failsafe picks the name up, so `mvn verify` stays
 * fast: bench/soak.sh runs it (mvn -B verify -Dit.test=RunSoak -Dsoak.minutes=20).
 */
class RunSoak {
    /** What the run does and how long; each setting a system property, scaled down for short runs unless set. */
    record Plan(Duration length, Duration endEvery, Duration outage, Duration sampleEvery, Duration warmUp, double changesPerSecond) {
        static Plan fromSystemProperties() {
            Duration length = minutes(System.getProperty("soak.minutes", "20"));
            Duration endEvery = setting("soak.end-every", min(Duration.ofMinutes(3), length.dividedBy(4)));
            Duration outage = setting("soak.outage", min(Duration.ofSeconds(5), endEvery.dividedBy(4)));
            Duration sampleEvery = setting("soak.sample-every", max(Duration.ofSeconds(5), min(Duration.ofSeconds(30), length.dividedBy(12))));
            // the first samples see class loading, the JIT and pools filling up: not a leak
            Duration warmUp = setting("soak.warm-up", min(Duration.ofMinutes(2), length.dividedBy(6)));
            double changesPerSecond = Double.parseDouble(System.getProperty("soak.changes-per-second", "4"));
            return new Plan(length, endEvery, outage, sampleEvery, warmUp, changesPerSecond);
        }

        String describe() {
            return String.format(Locale.ROOT, "%s, %.1f changes/s, the listen stream ended cleanly every %s with a %s outage, "
                    + "a sample every %s, warm-up %s", text(length), changesPerSecond, text(endEvery), text(outage), text(sampleEvery), text(warmUp));
        }

        /** "3m", "40s", or a number of minutes ("2.5"). */
        static Duration minutes(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            if (v.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
            }
            return Duration.ofMillis(Math.round(Double.parseDouble(v.endsWith("m") ? v.substring(0, v.length() - 1) : v) * 60_000));
        }

        static Duration setting(String property, Duration fallback) {
            String value = System.getProperty(property, "");
            return value.isBlank() ? fallback : minutes(value);
        }

        static Duration min(Duration a, Duration b) {
            return a.compareTo(b) <= 0 ? a : b;
        }

        static Duration max(Duration a, Duration b) {
            return a.compareTo(b) >= 0 ? a : b;
        }

        static String text(Duration d) {
            return d.toSeconds() % 60 == 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
        }
    }

    /** MinIO's own keep-alive on an idle listen stream, so a quiet minute never looks like a dead connection. */
    static final String KEEP_ALIVE = "{\"Records\":null}";
    static final String NOTE_TITLE = "ends catch-ups unannounced | SyncStatus";

    private final List<String> taskFailures = new ArrayList<>();

    @Test
    void runStaysFlatAndConvergesUnderSteadyChangesAndCleanStreamEnds() throws Exception {
        Plan plan = Plan.fromSystemProperties();
        print("soak: " + plan.describe());
        // filesystem-backed servers: the objects live on disk, so the heap measured is the tool's (and the servers' code), not the data
        Path data = Files.createTempDirectory("migrator-soak");
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(3, r -> {
            Thread t = new Thread(r, "soak-timer");
            t.setDaemon(true);
            return t;
        });
        timers.prestartAllCoreThreads(); // all there before the first sample, so they never count as growth
        try (TestStores stores = new TestStores(false, data);
                FaultyProxy source = new FaultyProxy(RemoveIT.portOf(stores.source.endpoint()), (method, path) -> FaultyProxy.Fault.PASS);
                SourceChurn churn = new SourceChurn(stores.sourceClient, "src", source, plan.changesPerSecond(), 9)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            churn.seed();
            List<String> args = stores.arguments("src:dst", "migration.events.mode=listen", "migration.remove=true",
                    "migration.source.endpoint=" + source.endpoint(), "migration.multipart.threshold=6MiB",
                    "migration.multipart.part-size=5MiB", "migration.concurrency=4",
                    "migration.events.max-deletes=-1"); // the churn deletes at its own rate: not a mistake the brake should catch
            JvmSamples samples = new JvmSamples();
            AtomicInteger ends = new AtomicInteger();
            long started = System.nanoTime();
            try (Running run = new Running(stores, args)) {
                SyncStatus status = run.command.status();
                churn.start();
                print("soak: " + JvmSamples.header(NOTE_TITLE));
                every(timers, Duration.ofSeconds(2), Duration.ofSeconds(2), "keep-alive", () -> {
                    if (source.openListenStreams() > 0) {
                        source.listenLines.add(KEEP_ALIVE);
                    }
                });
                every(timers, plan.endEvery(), plan.endEvery(), "clean end", () -> endStreamCleanly(source, plan.outage(), ends));
                every(timers, Duration.ZERO, plan.sampleEvery(), "sample", () ->
                        print("soak: " + samples.take(secondsSince(started), note(ends, status, churn)).row()));
                Thread.sleep(plan.length().toMillis()); // the soak itself: here time is what is under test
                timers.shutdown();
                assertTrue(timers.awaitTermination(2, TimeUnit.MINUTES), "a clean end or a sample did not finish");
                churn.stop();
                long soaked = secondsSince(started);

                Wait.until("the target equals the source (" + status.line() + ")", Duration.ofMinutes(5), () -> stores.converged("src", "dst"));
                run.awaitDrained();
                print("soak: " + samples.take(secondsSince(started), note(ends, status, churn)).row() + "   (writes stopped, drained)");
                JvmSamples.Flatness flatness = samples.flatness(plan.warmUp().toSeconds());
                int objects = contents(stores.sourceClient, "src", "").size();
                boolean converged = contents(stores.sourceClient, "src", "").equals(contents(stores.targetClient, "dst", ""));
                // each check as its failure would read
                Map<String, Boolean> checks = new LinkedHashMap<>();
                checks.put("soak tasks failed: " + taskFailures, taskFailures.isEmpty());
                checks.put("the target differs from the source", converged);
                checks.put("too few samples after warm-up to judge: run longer, or sample more often", flatness.enoughSamples());
                checks.put("threads grew: " + flatness.describe(), flatness.threadsFlat());
                checks.put("heap grew: " + flatness.describe(), flatness.heapFlat());
                checks.put("the stream was never ended: soak.end-every is longer than the soak", ends.get() >= 1);
                checks.put("a clean end was not followed by a catch-up pass", status.getCatchUpPasses() >= ends.get());
                checks.put("no change fell into an outage: the catch-up passes were not put to the test", churn.unannounced() > 0);
                checks.put("announced events were lost on the stream", status.getEventsReceived() == churn.announced());
                List<String> failed = checks.entrySet().stream().filter(c -> !c.getValue()).map(Map.Entry::getKey).toList();
                print(String.format(Locale.ROOT, "soak: %s after %.1f min: %d changes (%d deletes, %d multipart-sized, %d write failures), "
                        + "%d announced and %d received, %d unannounced; %d clean ends, %d reconnects, %d catch-up passes, %d sync failures; %s; "
                        + "target %s source (%d objects)", failed.isEmpty() ? "PASS" : "FAIL", soaked / 60.0, churn.changes(), churn.deletes(),
                        churn.multipartSized(), churn.failures(), churn.announced(), status.getEventsReceived(), churn.unannounced(),
                        ends.get(), source.listenConnections.get() - 1, status.getCatchUpPasses(), status.getSyncFailures(), flatness.describe(),
                        converged ? "==" : "!=", objects));
                assertTrue(failed.isEmpty(), String.join("; ", failed));
            }
        } finally {
            timers.shutdownNow();
            deleteTree(data);
        }
    }

    /**
     * MinIO shutting down in good order: the stream ends cleanly, the server is away for the outage (a new listen
     * request waits unanswered, and every change meanwhile goes unannounced), then it answers again and the tool
     * reconnects, which must bring a catch-up pass.
     */
    private static void endStreamCleanly(FaultyProxy source, Duration outage, AtomicInteger ends) {
        int before = source.listenConnections.get();
        source.holdListenRequests(true);
        source.listenLines.add(FaultyProxy.END);
        Wait.until("the listen stream has ended", Duration.ofSeconds(30), () -> source.openListenStreams() == 0);
        long back = System.nanoTime() + outage.toNanos();
        Wait.until("the outage is over", outage.plusSeconds(5), () -> System.nanoTime() >= back);
        source.holdListenRequests(false);
        Wait.until("the tool reconnects after a clean end", Duration.ofMinutes(2), () -> source.listenConnections.get() > before);
        ends.incrementAndGet();
    }

    private static String note(AtomicInteger ends, SyncStatus status, SourceChurn churn) {
        return String.format(Locale.ROOT, "%4d %9d %11d | %s", ends.get(), status.getCatchUpPasses(), churn.unannounced(), status.line());
    }

    /** A periodic task whose failure is kept for the verdict (a scheduled task that throws would silently stop). */
    private void every(ScheduledExecutorService timers, Duration first, Duration period, String what, Runnable task) {
        timers.scheduleAtFixedRate(() -> {
            try {
                task.run();
            } catch (Throwable e) {
                synchronized (taskFailures) {
                    taskFailures.add(what + ": " + e);
                }
            }
        }, first.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static long secondsSince(long started) {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
    }

    /** Result lines start with "soak" so bench/soak.sh can pick them out of Maven's output. */
    private static void print(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
