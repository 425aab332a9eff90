package io.github.miniomigrator.command;

import io.github.miniomigrator.i18n.Messages;
import io.github.miniomigrator.report.ReportFiles;
import io.github.miniomigrator.MigrationRuntime;
import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.config.KeyFilter;
import io.github.miniomigrator.config.Setting;
import io.github.miniomigrator.config.SettingRange;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.copy.WriteCanary;
import io.github.miniomigrator.listing.ListingEntry;
import io.github.miniomigrator.store.StoreException;
import io.github.miniomigrator.store.TargetStore;
import io.github.miniomigrator.verify.SampleChecker;
import io.github.miniomigrator.verify.VerifyTally;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;

/**
 * `smoke-test`: the runbook's "open a random sample of old files, upload a new one". N random objects of each target
 * are read and compared with the source byte for byte; a canary object is uploaded, read back and deleted.
 */
public final class SmokeTestCommand {
    private SmokeTestCommand() {
    }

    public static int run(Settings settings, PrintStream out) throws Exception {
        List<BucketMapping> mappings = Preflight.checkSettings(settings);
        try (MigrationRuntime runtime = MigrationRuntime.start(settings)) {
            return check(runtime, mappings, settings, out) ? 0 : 1;
        }
    }

    static boolean check(MigrationRuntime runtime, List<BucketMapping> mappings, Settings settings, PrintStream out) {
        long sample = SettingRange.SMOKE_SAMPLE.read(settings);
        KeyFilter scope = KeyFilter.of(settings); // keys out of scope were never copied: none is sampled
        boolean ok = true;
        String stamp = ReportFiles.stamp(Instant.now());
        for (BucketMapping mapping : mappings) {
            Path markers = Path.of(settings.get(Setting.REPORT_DIR)).resolve("smoke-test-" + stamp + "-" + mapping.sourceBucket() + ".txt");
            try (VerifyTally tally = new VerifyTally(markers)) {
                SampleChecker samples = new SampleChecker(runtime.sourceStore(), runtime.targetStore(), String.valueOf(sample));
                Iterator<ListingEntry> target = runtime.targetStore().list(mapping.targetBucket(), mapping.targetPrefix());
                while (target.hasNext()) {
                    ListingEntry entry = target.next();
                    if (scope.inScope(entry.key())) {
                        samples.offer(mapping, entry, tally);
                    }
                }
                samples.checkSample(tally);
                String canary = canary(runtime.targetStore(), mapping, out);
                boolean good = tally.differ.sum() == 0 && tally.errors.sum() == 0 && canary == null;
                ok &= good;
                out.println(Messages.text("cli.smoke.line", mapping, tally.sampled.sum(), tally.differ.sum(), tally.errors.sum(),
                        canary == null ? Messages.text("cli.smoke.canary-ok") : Messages.text("cli.smoke.canary-failed", canary)));
                if (tally.sampleArchived.sum() > 0) {
                    out.println("  " + Messages.text("cli.smoke.archived", tally.sampleArchived.sum()));
                }
                tally.kept().forEach(out::println);
            }
        }
        out.println(ok ? Messages.text("cli.smoke.passed") : Messages.text("cli.smoke.failed"));
        return ok;
    }

    /** The write canary preflight uses (with its fallback to signed bodies): written, read back, deleted; what failed, or null. */
    private static String canary(TargetStore target, BucketMapping mapping, PrintStream out) {
        try {
            // the application's own kind of write, deleted again: it passes a gate a cutover shut to forward syncs
            io.github.miniomigrator.cutover.ForwardGate.canary(() -> new WriteCanary(target).prove(mapping, false))
                    .forEach(note -> out.println("  " + Messages.text("cli.report.note", note)));
            return null;
        } catch (RuntimeException e) {
            return StoreException.describe(e);
        }
    }
}
