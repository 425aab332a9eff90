package io.github.miniomigrator.command;

import io.github.miniomigrator.config.Setting;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.config.SettingsException;
import io.github.miniomigrator.cutover.CutoverBackup;
import io.github.miniomigrator.cutover.CutoverRecords;
import io.github.miniomigrator.cutover.ZooKeeperSwitch;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** `rollback --backup FILE`: every value a cutover changed back as it was, in one transaction, read back. */
public final class RollbackCommand {
    private RollbackCommand() {
    }

    public static int run(Settings settings, Path backupFile, PrintStream out) throws Exception {
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
        String connect = settings.get(Setting.CUTOVER_ZOOKEEPER).isEmpty() ? backup.zookeeper() : settings.get(Setting.CUTOVER_ZOOKEEPER);
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
            if (!backup.cutMappings().isEmpty()) {
                CutoverRecords.clearLocal(settings, backup.cutMappings());
                out.println("The cutover record is cleared (" + backup.recordNodes().size() + " node(s) in ZooKeeper, and "
                        + Setting.STATE_DIR.key() + " here): copy and run sync " + String.join(", ",
                        backup.cutMappings().stream().map(Object::toString).toList()) + " forward again.");
            }
            return 0;
        }
    }
}
