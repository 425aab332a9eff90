package io.github.miniomigrator.command;

import io.github.miniomigrator.report.ReportFiles;
import io.github.miniomigrator.SecretMask;
import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.config.Setting;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.cutover.CutoverRecord;
import io.github.miniomigrator.cutover.CutoverRecords;
import io.github.miniomigrator.fallback.ReversedSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * `retire` (the runbook's 下线): the end of the fallback window. A last fallback pass and a verify of MinIO against the
 * target, their reports kept as the record of what MinIO held at retirement; then the cutover record says MinIO is
 * retired, and no `run` keeps it level any more. Forward syncs stay refused: the target is the application's store.
 */
public final class RetireCommand {

    private RetireCommand() {
    }

    public static int run(Settings settings, PrintStream out) throws Exception {
        FallbackCommand.requireSwitched(settings, "retire");
        List<BucketMapping> mappings = ReversedSettings.mappings(settings);
        CutoverRecords.Found found = CutoverRecords.find(settings, mappings).orElseThrow();
        if (found.record().retired() != null) {
            out.println("MinIO was retired already, at " + found.record().retired() + ".");
            return 0;
        }
        FallbackCommand.Levelled levelled = FallbackCommand.pass(settings, out, false, true);
        Path reports = Path.of(settings.get(Setting.REPORT_DIR));
        String verified = "not verified (the pass failed)";
        if (levelled.verify() != null) {
            Path file = levelled.verify().write(reports, "retire-" + ReportFiles.stamp(levelled.verify().started()), new SecretMask(settings.secretValues()));
            verified = levelled.verify().result() + "; the record of what MinIO held at retirement: " + file.toAbsolutePath();
        }
        CutoverRecord retired = found.record().retiredAt(Instant.now().toString());
        CutoverRecords.retire(settings, retired);
        out.println("MinIO is retired (" + retired.retired() + "): the last fallback pass carried " + levelled.counts()
                + "; MinIO against the target: " + verified + ". No run keeps MinIO level from now on; forward syncs stay refused. "
                + "The MinIO servers may be shut down once you keep what you need of them.");
        return levelled.level() ? 0 : 1;
    }
}
