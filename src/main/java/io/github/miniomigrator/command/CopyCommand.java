package io.github.miniomigrator.command;

import io.github.miniomigrator.MigrationRuntime;
import io.github.miniomigrator.SecretMask;
import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.config.Setting;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.copy.CopyPass;
import io.github.miniomigrator.copy.PassStats;
import io.github.miniomigrator.copy.SettlingJoin;
import io.github.miniomigrator.cutover.ForwardSyncs;
import io.github.miniomigrator.i18n.Messages;
import io.github.miniomigrator.report.CopyReport;
import io.github.miniomigrator.report.PassSummary;
import io.github.miniomigrator.report.Sizes;
import io.github.miniomigrator.store.StoreException;
import io.github.miniomigrator.store.TargetStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** `copy`: one pass over every mapping, a summary on the console and in a JSON report; exit 0 only when all is in place. */
public final class CopyCommand {
    private static final Logger LOG = LoggerFactory.getLogger(CopyCommand.class);

    private CopyCommand() {
    }

    /** A line in the log every interval while a pass runs, so a long copy under systemd shows it is moving. */
    static final class Progress implements AutoCloseable {
        private final java.util.concurrent.ScheduledExecutorService timer;
        /** Bytes moved over the last interval: only the timer's thread reads it. */
        private final ProgressLine.Rate rate = new ProgressLine.Rate(System.nanoTime());

        Progress(CopyPass pass, java.time.Duration interval) {
            timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "progress");
                thread.setDaemon(true);
                return thread;
            });
            // the report's throughput chart: a sample a second (thinned as the pass grows long)
            timer.scheduleAtFixedRate(() -> sample(pass), 0, 1, java.util.concurrent.TimeUnit.SECONDS);
            if (!interval.isZero()) {
                timer.scheduleAtFixedRate(() -> LOG.info(line(pass, rate)), interval.toMillis(), interval.toMillis(),
                        java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        }

        static void sample(CopyPass pass) {
            PassStats s = pass.stats();
            s.throughput().sample(java.time.Duration.between(pass.started(), Instant.now()).toMillis() / 1000.0, s.movedBytes.sum(),
                    s.copiedObjects.sum());
        }

        /** @param rate the bytes moved since the last line, per second (the timer's {@link ProgressLine.Rate}) */
        static String line(CopyPass pass, ProgressLine.Rate rate) {
            PassStats s = pass.stats();
            io.github.miniomigrator.copy.DryRun dryRun = pass.dryRun();
            if (dryRun != null) {
                return Messages.text("cli.progress.dry-run", pass.mapping(), s.sourceObjects.sum(), dryRun.copyObjects.sum(),
                        Sizes.human(dryRun.copyBytes.sum()), s.identicalObjects.sum(), s.failedObjects.sum());
            }
            return ProgressLine.of(pass.mapping().toString(), s, rate.perSecond(s.movedBytes.sum(), System.nanoTime()),
                    s.stuckTransfers(java.time.Duration.ofSeconds(30)));
        }

        @Override
        public void close() {
            timer.shutdownNow();
        }
    }

    public static int run(Settings settings, PrintStream out) throws Exception {
        List<BucketMapping> mappings = Preflight.checkSettings(settings);
        io.github.miniomigrator.cutover.CutoverRecords.refuseForward(settings, mappings, "copy");
        SecretMask mask = new SecretMask(settings.secretValues());
        try (MigrationRuntime runtime = MigrationRuntime.start(settings, null, started -> Preflight.checkTargets(started, mappings, out));
                // a copy is a forward sync too: a cutover shuts it before its final verify, as it shuts a run
                AutoCloseable registered = ForwardSyncs.register(settings, mappings, runtime.forwardGate(),
                        record -> out.println(Messages.text("cli.copy.remaining-refused", record.refusal(Messages.text("cli.subject.copy"))))).orElse(null)) {
            Preflight.checkSources(runtime, mappings);
            CopyReport report = copyAll(runtime, mappings, out);
            report.print(out, mask);
            Path file = report.write(Path.of(settings.get(Setting.REPORT_DIR)), mask);
            io.github.miniomigrator.report.ReportFiles.printWritten(out, file);
            io.github.miniomigrator.hooks.PassFinished.send(runtime.producer(), "copy", report, file);
            return report.ok() ? 0 : 1;
        }
    }

    static CopyReport copyAll(MigrationRuntime runtime, List<BucketMapping> mappings, PrintStream out) {
        return copyAll(runtime, mappings, out, pass -> { });
    }

    /** @param onStart told of each pass as it starts, so that a `run` being stopped can cancel it */
    static CopyReport copyAll(MigrationRuntime runtime, List<BucketMapping> mappings, PrintStream out,
            java.util.function.Consumer<CopyPass> onStart) {
        Instant started = Instant.now();
        List<PassSummary> summaries = new ArrayList<>();
        for (BucketMapping mapping : mappings) {
            out.println(Messages.text("cli.copy.copying", mapping));
            out.flush();
            try (CopyPass pass = new CopyPass(mapping);
                    Progress progress = new Progress(pass, runtime.settings().duration(Setting.PROGRESS_INTERVAL));
                    TerminalProgress terminal = TerminalProgress.start(pass, runtime.sourceStore())) {
                onStart.accept(pass);
                runPass(runtime, pass);
                summaries.add(PassSummary.of(pass));
            }
        }
        return report(runtime, started, summaries);
    }

    /**
     * Runs one pass through the copy-bucket route and returns when every copy of it has finished (a route error is the
     * pass's error); the metrics count what it does. Where writes are looked after (migration.recheck-after-write), the
     * pass's copies skip their look, and once the route has returned a settling join lists what the pass wrote again
     * ({@link SettlingJoin}; deletes, where the pass makes them, come after it).
     */
    public static void runPass(MigrationRuntime runtime, CopyPass pass) {
        runtime.passHistory().add(pass.stats());
        SettlingJoin settling = runtime.settlingJoin();
        settling.prepare(pass);
        route(runtime, pass);
        settling.settle(pass, round -> route(runtime, round));
        pass.finish();
        Progress.sample(pass);
    }

    /** One round of a pass through the copy-bucket route, to its end (a route error is the pass's error). */
    private static void route(MigrationRuntime runtime, CopyPass pass) {
        try {
            runtime.producer().sendBodyAndProperty("direct:copy-bucket", pass.mapping(), CopyPass.PROPERTY, pass);
        } catch (CamelExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            pass.stats().passError(StoreException.describe(cause));
            LOG.error("pass {} stopped: {}", pass.mapping(), StoreException.describe(cause));
        }
    }

    /** The report of a copy: its passes, with how the target was written. */
    static CopyReport report(MigrationRuntime runtime, Instant started, List<PassSummary> summaries) {
        TargetStore target = runtime.targetStore();
        return CopyReport.of("copy", started, target.storageClass().toString(),
                target.signing().signed() ? "signed (SHA-256; the target refused UNSIGNED-PAYLOAD)" : "as UNSIGNED-PAYLOAD", summaries);
    }
}
