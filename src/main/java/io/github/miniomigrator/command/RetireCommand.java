package io.github.miniomigrator.command;

import io.github.miniomigrator.i18n.Messages;
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
            out.println(Messages.text("cli.retire.already", found.record().retired()));
            return 0;
        }
        FallbackCommand.Levelled levelled = FallbackCommand.pass(settings, out, false, true);
        Path reports = Path.of(settings.get(Setting.REPORT_DIR));
        String verified = Messages.text("cli.retire.not-verified");
        if (levelled.verify() != null) {
            Path file = levelled.verify().write(reports, "retire-" + ReportFiles.stamp(levelled.verify().started()), new SecretMask(settings.secretValues()));
            verified = Messages.text("cli.retire.verified", levelled.verify().resultWords(), file.toAbsolutePath());
        }
        CutoverRecord retired = found.record().retiredAt(Instant.now().toString());
        CutoverRecords.retire(settings, retired);
        out.println(Messages.text("cli.retire.done", retired.retired(), levelled.counts(), verified));
        return levelled.level() ? 0 : 1;
    }
}
