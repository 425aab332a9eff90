package io.github.miniomigrator.command;

import io.github.miniomigrator.i18n.Messages;
import io.github.miniomigrator.MigrationRuntime;
import io.github.miniomigrator.SecretMask;
import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.config.Setting;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.config.SettingsException;
import io.github.miniomigrator.cutover.CutoverRecords;
import io.github.miniomigrator.fallback.ReversedSettings;
import io.github.miniomigrator.report.CopyReport;
import io.github.miniomigrator.report.PassSummary;
import io.github.miniomigrator.verify.VerifyReport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * `fallback`: after a cutover, one pass in the other direction — the target listed against MinIO, what differs copied
 * to MinIO, and (migration.remove=true) what the target no longer has deleted from MinIO — then exit. The same pass runs
 * every migration.fallback.interval inside `run` after a switch, and before a rollback or retire. Before a switch it
 * refuses: MinIO is never written then (invariant 1).
 */
public final class FallbackCommand {
    private FallbackCommand() {
    }

    /** What a fallback pass (and the verify after it, where asked) found: the counts MinIO was brought level by. */
    public record Levelled(CopyReport pass, VerifyReport verify) {
        public long written() {
            return sum(PassSummary::copiedObjects) - rewritten();
        }

        public long rewritten() {
            return sum(PassSummary::replacedObjects);
        }

        public long deleted() {
            return sum(PassSummary::deletedObjects);
        }

        /** MinIO holds what the target holds: the pass clean and, where a verify ran, it found no difference. */
        public boolean level() {
            return pass.ok() && (verify == null || verify.exitCode() == 0);
        }

        private long sum(java.util.function.ToLongFunction<PassSummary> count) {
            return pass.mappings().stream().mapToLong(count).sum();
        }

        public String counts() {
            return Messages.text("cli.fallback.counts", written(), rewritten(), deleted());
        }
    }

    public static int run(Settings settings, Map<String, String> environment, PrintStream out) throws Exception {
        requireSwitched(settings, "fallback");
        Levelled levelled = pass(settings, out, false, false);
        out.println(levelled.pass().ok() ? Messages.text("cli.fallback.level", levelled.counts()) : Messages.text("cli.fallback.failed"));
        return levelled.pass().ok() ? 0 : 1;
    }

    /** Refuses unless a cutover of these mappings is recorded: before the switch MinIO is only read. */
    static void requireSwitched(Settings settings, String what) throws Exception {
        List<BucketMapping> mappings = ReversedSettings.mappings(settings);
        if (CutoverRecords.find(settings, mappings).isEmpty()) {
            throw new SettingsException(Messages.text("cli.fallback.no-cutover", what,
                    String.join(", ", mappings.stream().map(Object::toString).toList())));
        }
    }

    /**
     * One fallback pass over every mapping, its report written.
     * @param deleteAll delete what the target no longer has from MinIO whatever migration.remove says (a rollback needs
     *     MinIO equal to the target; migration.max-delete still guards)
     * @param verify verify MinIO against the target after the pass
     */
    static Levelled pass(Settings settings, PrintStream out, boolean deleteAll, boolean verify) throws Exception {
        Settings reversed = ReversedSettings.of(settings);
        if (deleteAll) {
            Map<String, String> values = new java.util.LinkedHashMap<>(reversed.all());
            values.put(Setting.REMOVE.key(), "true");
            reversed = new Settings(values);
        }
        List<BucketMapping> mappings = Preflight.checkSettings(reversed);
        SecretMask mask = new SecretMask(settings.secretValues());
        Path reports = Path.of(settings.get(Setting.REPORT_DIR));
        try (MigrationRuntime runtime = MigrationRuntime.start(reversed, null, started -> Preflight.checkTargets(started, mappings, out))) {
            Preflight.checkSources(runtime, mappings);
            Instant started = Instant.now();
            CopyReport copied = CopyCommand.copyAll(runtime, mappings, out);
            CopyReport report = CopyReport.of("fallback", started, copied.storageClass(), copied.payload(), copied.mappings());
            report.print(out, mask);
            Path file = report.write(reports, mask);
            io.github.miniomigrator.report.ReportFiles.printWritten(out, file);
            io.github.miniomigrator.hooks.PassFinished.send(runtime.producer(), "fallback", report, file);
            VerifyReport checked = null;
            if (verify && report.ok()) {
                checked = VerifyCommand.verifyAll(runtime, mappings, reports, out);
                checked.print(out, mask);
            }
            return new Levelled(report, checked);
        }
    }
}
