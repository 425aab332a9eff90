package io.github.miniomigrator.command;

import io.github.miniomigrator.MigrationRuntime;
import io.github.miniomigrator.SecretMask;
import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.config.Setting;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.copy.CopyPass;
import io.github.miniomigrator.copy.DryRun;
import io.github.miniomigrator.cutover.CutoverRecords;
import io.github.miniomigrator.i18n.Messages;
import io.github.miniomigrator.logging.Printed;
import io.github.miniomigrator.report.DryRunReport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * `copy --dry-run`: the pass `copy` would make — the same listings, the same decisions, the same guards on deletes —
 * with nothing written to either store. The preflight reads the target and writes no canary; the target's write door
 * ({@link io.github.miniomigrator.cutover.ForwardGate}) is shut before anything runs, so a write that slipped through
 * would fail loudly instead of landing; each pass is marked a dry run, and its copies and deletes are recorded where
 * they would have been sent ({@link DryRun}). The report lists every key with its reason. Exit 0 when every mapping
 * was listed and compared, 1 when one could not be, 2 when it could not start.
 */
public final class CopyDryRun {
    static final String NOTHING_WRITTEN = "copy --dry-run writes nothing";
    private static final Logger LOG = LoggerFactory.getLogger(CopyDryRun.class);

    private CopyDryRun() {
    }

    public static int run(Settings settings, PrintStream out) throws Exception {
        List<BucketMapping> mappings = Preflight.checkSettings(settings);
        CutoverRecords.refuseForward(settings, mappings, "copy --dry-run");
        SecretMask mask = new SecretMask(settings.secretValues());
        try (MigrationRuntime runtime = MigrationRuntime.start(settings, null, started -> {
            shutWrites(started);
            Preflight.checkTargetsForDryRun(started, mappings);
        })) {
            Preflight.checkSources(runtime, mappings);
            out.println(Messages.text("cli.dry-run.start"));
            Instant started = Instant.now();
            List<DryRun> plans = new ArrayList<>();
            try {
                List<DryRunReport.Mapping> results = new ArrayList<>();
                for (BucketMapping mapping : mappings) {
                    out.println(Messages.text("cli.dry-run.mapping", mapping));
                    out.flush();
                    DryRun plan = new DryRun();
                    plans.add(plan);
                    try (CopyPass pass = new CopyPass(mapping).dryRun(plan);
                            CopyCommand.Progress progress = new CopyCommand.Progress(pass, settings.duration(Setting.PROGRESS_INTERVAL))) {
                        CopyCommand.runPass(runtime, pass);
                        results.add(DryRunReport.Mapping.of(pass));
                    }
                }
                DryRunReport report = new DryRunReport(started, Instant.now(), results);
                report.print(out, mask);
                Path file = report.write(Path.of(settings.get(Setting.REPORT_DIR)), mask).toAbsolutePath();
                LOG.info(Printed.ALSO, "copy --dry-run: {}; the keys with their reasons are in {}", report.summary(), file);
                io.github.miniomigrator.report.ReportFiles.printWritten(out, file);
                return report.ok() ? 0 : 1;
            } finally {
                plans.forEach(DryRun::close);
            }
        }
    }

    /** Shuts the target's write door for the whole run: any write would be refused, never sent. */
    private static void shutWrites(MigrationRuntime runtime) {
        try {
            runtime.forwardGate().shut(NOTHING_WRITTEN, Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while shutting the target's writes", e);
        }
    }
}
