package io.github.miniomigrator.command;

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
            throw new SettingsException("rollback needs --backup FILE: the cutover-backup-*.json the cutover printed"
                    + (backupFile == null ? "." : "; " + backupFile + " is not a file."));
        }
        CutoverBackup backup;
        try {
            backup = CutoverBackup.read(backupFile);
        } catch (IOException e) {
            throw new SettingsException(backupFile + " is not a cutover backup: " + e.getMessage());
        }
        SecretMask mask = new SecretMask(settings.secretValues());
        String connect = settings.get(Setting.CUTOVER_ZOOKEEPER).isEmpty() ? backup.zookeeper() : settings.get(Setting.CUTOVER_ZOOKEEPER);
        List<BucketMapping> cut = backup.cutMappings();
        boolean level = cut.isEmpty();
        FallbackCommand.Levelled levelled = null;
        if (cut.isEmpty()) {
            out.println("This backup was written before cutovers were recorded: ZooKeeper is restored, MinIO is not brought level "
                    + "(copy what the application wrote on the target since the switch back by hand first).");
        } else {
            if (settings.get(Setting.BUCKETS).isEmpty()) {
                throw new SettingsException("rollback brings MinIO level with the target before it restores ZooKeeper, so it needs the "
                        + "cutover's settings (" + Setting.BUCKETS.key() + ", both stores' endpoints and keys): run it with the "
                        + "configuration the cutover ran with.");
            }
            checkSameMappings(settings, cut);
            if (!ShellStep.run("stop the application", settings.get(Setting.CUTOVER_STOP_COMMAND), out, mask)) {
                out.println("Rollback aborted: the stop command failed; nothing was changed.");
                return CutoverCommand.EXIT_FAILED;
            }
            String why = null;
            for (int attempt = 1; attempt <= PASSES && !level; attempt++) {
                out.println("Bringing MinIO level with the target (fallback pass " + attempt + " of at most " + PASSES + ") ...");
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
                String what = why != null ? "the fallback pass could not run (" + why + ")"
                        : levelled.verify() == null ? "the fallback pass failed for " + failed(levelled) + " object(s)"
                        : differing(levelled) + " object(s) still differ";
                if (!force) {
                    out.println(mask.apply("Rollback refused: MinIO could not be brought level with the target: " + what
                            + "; ZooKeeper is untouched and the application stays on the target."
                            + (behind.isEmpty() ? "" : " Not on MinIO (first " + Math.min(LISTED, behind.size()) + "): "
                                    + String.join("; ", behind.subList(0, Math.min(LISTED, behind.size()))) + ".")
                            + " Mend the cause and run rollback again, or roll back anyway with --force."));
                    if (!ShellStep.run("start the application (on the target, as before)", settings.get(Setting.CUTOVER_START_COMMAND), out, mask)) {
                        out.println("The application did not start again.");
                    }
                    return CutoverCommand.EXIT_REFUSED;
                }
                out.println(mask.apply("--force: rolling back although MinIO is not level with the target (" + what + "). What stays "
                        + "behind on the target only" + (behind.isEmpty() ? " cannot be listed: MinIO could not be compared; every object the "
                        + "application wrote there since the last fallback pass may be missing from MinIO" : ": " + String.join("; ", behind)) + "."));
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
            out.println("Rolled back " + recorded.size() + " nodes in ZooKeeper at " + connect + " (" + backup.created().size()
                    + " created by the cutover removed); every value is as it was before the cutover.");
        }
        if (!cut.isEmpty()) {
            CutoverRecords.clearLocal(settings, cut);
            out.println("The cutover record is cleared (" + backup.recordNodes().size() + " node(s) in ZooKeeper, and "
                    + Setting.STATE_DIR.key() + " here): copy and run sync " + String.join(", ", cut.stream().map(Object::toString).toList())
                    + " forward again.");
        }
        if (levelled != null && level) {
            out.println("MinIO is level with the target: " + levelled.counts() + " on the target since the last fallback pass are now on MinIO.");
        }
        if (!ShellStep.run("start the application", settings.get(Setting.CUTOVER_START_COMMAND), out, mask)) {
            out.println("The application did not start: ZooKeeper points it at MinIO again.");
            return CutoverCommand.EXIT_FAILED;
        }
        if (!cut.isEmpty() && settings.flag(Setting.CUTOVER_SMOKE_TEST)) {
            Settings reversed = ReversedSettings.of(settings);
            List<BucketMapping> onMinio = Preflight.checkSettings(reversed);
            try (MigrationRuntime runtime = MigrationRuntime.start(reversed)) {
                if (!SmokeTestCommand.check(runtime, onMinio, reversed, out)) {
                    out.println("The smoke test of MinIO failed after the rollback: see above.");
                    return CutoverCommand.EXIT_FAILED;
                }
            }
        }
        out.println(level ? "Rollback done: the application uses MinIO, which holds what it wrote on the target."
                : "Rollback done with --force: the application uses MinIO; the objects listed above stay on the target only.");
        return 0;
    }

    /** The fallback reads migration.buckets: it must be the cutover's, or MinIO would be levelled with other buckets. */
    private static void checkSameMappings(Settings settings, List<BucketMapping> cut) {
        List<BucketMapping> now = settings.mappings();
        if (!now.containsAll(cut)) {
            throw new SettingsException("rollback: " + Setting.BUCKETS.key() + " does not name what was cut over ("
                    + String.join(", ", cut.stream().map(Object::toString).toList()) + "): run rollback with the settings the cutover had.");
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
