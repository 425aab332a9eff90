package io.github.miniomigrator.command;

import io.github.miniomigrator.i18n.Messages;
import io.github.miniomigrator.MigrationRuntime;
import io.github.miniomigrator.SecretMask;
import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.config.Setting;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.config.SettingsException;
import io.github.miniomigrator.cutover.CutoverBackup;
import io.github.miniomigrator.cutover.CutoverRecords;
import io.github.miniomigrator.cutover.ZooKeeperSwitch;
import io.github.miniomigrator.fallback.ReversedSettings;
import io.github.miniomigrator.report.PassSummary;
import io.github.miniomigrator.store.StoreException;
import io.github.miniomigrator.verify.VerifySummary;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * `rollback --backup FILE [--force]`: the way back that loses nothing. It stops the application, brings MinIO level with
 * the target (fallback passes and a verify of MinIO against the target, until equal), and only then restores every value
 * the cutover changed in one ZooKeeper transaction (which also removes the cutover's record), reads it back, starts the
 * application and smoke-tests MinIO. If MinIO cannot be brought level it refuses and ZooKeeper stays as it is;
 * {@code --force} rolls back anyway and lists what stays behind on the target.
 */
public final class RollbackCommand {
    /** Passes tried before giving up on MinIO: with the application stopped the first one levels it; a second catches a straggler. */
    private static final int PASSES = 3;
    private static final int LISTED = 50;

    private RollbackCommand() {
    }

    public static int run(Settings settings, Path backupFile, boolean force, Map<String, String> environment, PrintStream out)
            throws Exception {
        if (backupFile == null || !Files.isRegularFile(backupFile)) {
            throw new SettingsException(backupFile == null ? Messages.text("cli.rollback.needs-backup")
                    : Messages.text("cli.rollback.backup-not-a-file", backupFile));
        }
        CutoverBackup backup;
        try {
            backup = CutoverBackup.read(backupFile);
        } catch (IOException e) {
            throw new SettingsException(Messages.text("cli.rollback.not-a-backup", backupFile, e.getMessage()));
        }
        SecretMask mask = new SecretMask(settings.secretValues());
        String connect = settings.get(Setting.CUTOVER_ZOOKEEPER).isEmpty() ? backup.zookeeper() : settings.get(Setting.CUTOVER_ZOOKEEPER);
        List<BucketMapping> cut = backup.cutMappings();
        boolean level = cut.isEmpty();
        FallbackCommand.Levelled levelled = null;
        if (cut.isEmpty()) {
            out.println(Messages.text("cli.rollback.unrecorded-backup"));
        } else {
            if (settings.get(Setting.BUCKETS).isEmpty()) {
                throw new SettingsException(Messages.text("cli.rollback.needs-settings", Setting.BUCKETS.key()));
            }
            checkSameMappings(settings, cut);
            if (!ShellStep.run(Messages.text("cli.step.stop"), settings.get(Setting.CUTOVER_STOP_COMMAND), out, mask)) {
                out.println(Messages.text("cli.rollback.stop-failed"));
                return CutoverCommand.EXIT_FAILED;
            }
            String why = null;
            for (int attempt = 1; attempt <= PASSES && !level; attempt++) {
                out.println(Messages.text("cli.rollback.levelling", attempt, PASSES));
                try {
                    levelled = FallbackCommand.pass(settings, out, true, true);
                    level = levelled.level();
                } catch (Exception e) {
                    why = StoreException.describe(e);
                    break;
                }
            }
            if (!level) {
                List<String> behind = behind(levelled);
                String what = why != null ? Messages.text("cli.rollback.pass-could-not-run", why)
                        : levelled.verify() == null ? Messages.text("cli.rollback.pass-failed-objects", failed(levelled))
                        : Messages.text("cli.rollback.still-differ", differing(levelled));
                if (!force) {
                    String missing = behind.isEmpty() ? "" : Messages.text("cli.rollback.not-on-minio", Math.min(LISTED, behind.size()),
                            String.join("; ", behind.subList(0, Math.min(LISTED, behind.size()))));
                    out.println(mask.apply(Messages.text("cli.rollback.refused", what, missing)));
                    if (!ShellStep.run(Messages.text("cli.step.start-on-target"), settings.get(Setting.CUTOVER_START_COMMAND), out, mask)) {
                        out.println(Messages.text("cli.rollback.not-started-again"));
                    }
                    return CutoverCommand.EXIT_REFUSED;
                }
                out.println(mask.apply(behind.isEmpty() ? Messages.text("cli.rollback.forced-unlisted", what)
                        : Messages.text("cli.rollback.forced", what, String.join("; ", behind))));
            }
        }
        try (ZooKeeperSwitch zk = new ZooKeeperSwitch(connect, settings.get(Setting.CUTOVER_AUTH))) {
            var recorded = backup.asChanges();
            zk.restore(recorded, backup.created(), backup.recordNodes());
            zk.checkReadBack(recorded.stream().filter(ZooKeeperSwitch.NodeChange::existed).toList(), false);
            for (String node : backup.created()) {
                if (zk.read(node) != null) {
                    throw new IllegalStateException("read-back: " + node + " still exists");
                }
            }
            out.println(Messages.text("cli.rollback.restored", recorded.size(), connect, backup.created().size()));
        }
        if (!cut.isEmpty()) {
            CutoverRecords.clearLocal(settings, cut);
            out.println(Messages.text("cli.rollback.record-cleared", backup.recordNodes().size(), Setting.STATE_DIR.key(),
                    String.join(", ", cut.stream().map(Object::toString).toList())));
        }
        if (levelled != null && level) {
            out.println(Messages.text("cli.rollback.level", levelled.counts()));
        }
        if (!ShellStep.run(Messages.text("cli.step.start"), settings.get(Setting.CUTOVER_START_COMMAND), out, mask)) {
            out.println(Messages.text("cli.rollback.not-started"));
            return CutoverCommand.EXIT_FAILED;
        }
        if (!cut.isEmpty() && settings.flag(Setting.CUTOVER_SMOKE_TEST)) {
            Settings reversed = ReversedSettings.of(settings);
            List<BucketMapping> onMinio = Preflight.checkSettings(reversed);
            try (MigrationRuntime runtime = MigrationRuntime.start(reversed)) {
                if (!SmokeTestCommand.check(runtime, onMinio, reversed, out)) {
                    out.println(Messages.text("cli.rollback.smoke-test-failed"));
                    return CutoverCommand.EXIT_FAILED;
                }
            }
        }
        out.println(level ? Messages.text("cli.rollback.done") : Messages.text("cli.rollback.done-forced"));
        return 0;
    }

    /** The fallback reads migration.buckets: it must be the cutover's, or MinIO would be levelled with other buckets. */
    private static void checkSameMappings(Settings settings, List<BucketMapping> cut) {
        List<BucketMapping> now = settings.mappings();
        if (!now.containsAll(cut)) {
            throw new SettingsException(Messages.text("cli.rollback.other-mappings", Setting.BUCKETS.key(),
                    String.join(", ", cut.stream().map(Object::toString).toList())));
        }
    }

    /** The target's keys MinIO lacks or holds older: verify's '+' and '*' in the fallback direction, or the pass's failures. */
    private static List<String> behind(FallbackCommand.Levelled levelled) {
        List<String> keys = new ArrayList<>();
        if (levelled == null) {
            return keys;
        }
        if (levelled.verify() != null) {
            for (VerifySummary summary : levelled.verify().mappings()) {
                summary.markers().stream().filter(line -> line.startsWith("+ ") || line.startsWith("* "))
                        .map(line -> summary.sourceBucket() + "/" + line.substring(2).replaceAll("\\s+#.*$", "")).forEach(keys::add);
            }
        } else {
            for (PassSummary summary : levelled.pass().mappings()) {
                summary.failures().forEach(failure -> keys.add(summary.sourceBucket() + "/" + failure));
            }
        }
        return keys;
    }

    private static long failed(FallbackCommand.Levelled levelled) {
        return levelled.pass().mappings().stream().mapToLong(PassSummary::failedObjects).sum();
    }

    private static long differing(FallbackCommand.Levelled levelled) {
        return levelled.verify().mappings().stream().mapToLong(s -> s.onlyInSource() + s.onlyInTarget() + s.differ() + s.errors()).sum();
    }
}
