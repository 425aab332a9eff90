package io.github.miniomigrator.cutover;

import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.config.Setting;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.config.SettingsException;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where the cutover records are: one ZooKeeper node per cut-over target (bucket and prefix) under
 * migration.cutover.record-path, on the cutover's ZooKeeper, so every instance and every later process sees it; and one
 * file per target in migration.state.dir/cutovers of the process that cut over, which holds even where ZooKeeper is not
 * configured for a later command.
 */
public final class CutoverRecords {
    private CutoverRecords() {
    }

    /** A record and where it was read (a file, or a node in ZooKeeper), for the refusal to name. */
    public record Found(CutoverRecord record, String where) {
        public String refusal(String what) {
            return io.github.miniomigrator.i18n.Messages.text("cli.cutover.record-where", record.refusal(what), where);
        }
    }

    /** The node or file name of a cut-over target: its bucket and prefix, URL-encoded ('/' may not stand in a node name). */
    public static String name(BucketMapping mapping) {
        return URLEncoder.encode(mapping.describeTarget(), StandardCharsets.UTF_8);
    }

    /** The target a node name stands for (the source side is not in it). */
    static BucketMapping target(String name) {
        String target = URLDecoder.decode(name, StandardCharsets.UTF_8);
        int slash = target.indexOf('/');
        return slash < 0 ? new BucketMapping("", target, "") : new BucketMapping("", target.substring(0, slash), target.substring(slash + 1));
    }

    /** The ZooKeeper nodes a cutover of these mappings creates, in its transaction, each holding the record. */
    public static List<ZooKeeperSwitch.RecordNode> nodes(String root, CutoverRecord record) {
        byte[] json = record.toJson();
        return record.mappings().stream().map(m -> new ZooKeeperSwitch.RecordNode(records(root) + "/" + name(m), json)).toList();
    }

    /** The folder of the records under migration.cutover.record-path. */
    static String records(String root) {
        return root + "/records";
    }

    public static String root(Settings settings) {
        String root = settings.get(Setting.CUTOVER_RECORD_PATH);
        if (!root.startsWith("/") || root.endsWith("/") || root.contains("//")) {
            throw new SettingsException(Setting.CUTOVER_RECORD_PATH.key() + "=" + root
                    + " is not a ZooKeeper path: write it like /minio-migrator/cutovers (a leading '/', none at the end).");
        }
        return root;
    }

    static Path folder(Settings settings) {
        return Path.of(settings.get(Setting.STATE_DIR)).resolve("cutovers");
    }

    /** Writes the record in this process's state folder, one file per target, each forced to disk. */
    public static void writeLocal(Settings settings, CutoverRecord record) throws IOException {
        Path folder = folder(settings);
        Files.createDirectories(folder);
        for (BucketMapping mapping : record.mappings()) {
            Path file = folder.resolve(name(mapping) + ".json");
            Path temporary = folder.resolve(name(mapping) + ".json.tmp");
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(java.nio.ByteBuffer.wrap(record.toJson()));
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Writes a changed record (a retirement) over the old one: in ZooKeeper where migration.cutover.zookeeper is set, and
     * in this process's state folder where the record is kept there.
     */
    public static void retire(Settings settings, CutoverRecord record) throws Exception {
        String connect = settings.get(Setting.CUTOVER_ZOOKEEPER);
        if (!connect.isEmpty()) {
            try (ZooKeeperSwitch zk = new ZooKeeperSwitch(connect, settings.get(Setting.CUTOVER_AUTH))) {
                for (ZooKeeperSwitch.RecordNode node : nodes(root(settings), record)) {
                    if (zk.read(node.node()) != null) {
                        zk.write(node.node(), node.data());
                    }
                }
            }
        }
        for (BucketMapping mapping : record.mappings()) {
            if (Files.exists(folder(settings).resolve(name(mapping) + ".json"))) {
                writeLocal(settings, record);
                break;
            }
        }
    }

    /** Removes this process's record files of these mappings (a rollback). @return how many there were */
    public static int clearLocal(Settings settings, List<BucketMapping> mappings) throws IOException {
        int removed = 0;
        for (BucketMapping mapping : mappings) {
            removed += Files.deleteIfExists(folder(settings).resolve(name(mapping) + ".json")) ? 1 : 0;
        }
        return removed;
    }

    /** The first record in this process's state folder that covers one of the mappings. */
    public static Optional<Found> local(Settings settings, List<BucketMapping> mappings) throws IOException {
        Path folder = folder(settings);
        if (!Files.isDirectory(folder)) {
            return Optional.empty();
        }
        List<Path> files;
        try (Stream<Path> listed = Files.list(folder)) {
            files = listed.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        for (Path file : files) {
            String where = io.github.miniomigrator.i18n.Messages.text("cli.cutover.record-in-file", file.toAbsolutePath());
            CutoverRecord record = CutoverRecord.fromJson(Files.readAllBytes(file), where);
            if (mappings.stream().anyMatch(record::covers)) {
                return Optional.of(new Found(record, where));
            }
        }
        return Optional.empty();
    }

    /** The first record in ZooKeeper that covers one of the mappings (read through an open connection). */
    public static Optional<Found> inZooKeeper(ZooKeeperSwitch zk, String root, List<BucketMapping> mappings) throws Exception {
        for (String child : zk.children(records(root))) {
            BucketMapping target = target(child);
            if (mappings.stream().noneMatch(target::sharesTargetWith)) {
                continue;
            }
            byte[] data = zk.read(records(root) + "/" + child);
            if (data == null) {
                continue; // removed meanwhile (a rollback)
            }
            String where = io.github.miniomigrator.i18n.Messages.text("cli.cutover.record-in-zookeeper", records(root) + "/" + child);
            CutoverRecord record = CutoverRecord.fromJson(data, where);
            if (mappings.stream().anyMatch(record::covers)) {
                return Optional.of(new Found(record, where));
            }
        }
        return Optional.empty();
    }

    /**
     * The record that forbids a forward sync of these mappings, or empty: this process's state folder, then — where
     * migration.cutover.zookeeper is set — ZooKeeper. A ZooKeeper that cannot be read refuses too: whether the
     * application already writes to the target cannot be known then.
     */
    public static Optional<Found> find(Settings settings, List<BucketMapping> mappings) throws Exception {
        Optional<Found> local = local(settings, mappings);
        if (local.isPresent()) {
            return local;
        }
        String connect = settings.get(Setting.CUTOVER_ZOOKEEPER);
        if (connect.isEmpty()) {
            return Optional.empty();
        }
        String root = root(settings);
        try (ZooKeeperSwitch zk = new ZooKeeperSwitch(connect, settings.get(Setting.CUTOVER_AUTH))) {
            return inZooKeeper(zk, root, mappings);
        } catch (SettingsException | IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new SettingsException("cannot read the cutover records at " + root + " in ZooKeeper at " + connect + " ("
                    + e.getMessage() + "): whether the application already writes to the target is unknown, so nothing is synced "
                    + "forward. Check " + Setting.CUTOVER_ZOOKEEPER.key() + " and that ZooKeeper answers.");
        }
    }

    /** Refuses (a SettingsException: exit 2, one line) when a cutover record covers one of the mappings. */
    public static void refuseForward(Settings settings, List<BucketMapping> mappings, String what) throws Exception {
        Optional<Found> record;
        try {
            record = find(settings, mappings);
        } catch (IllegalStateException e) {
            throw new SettingsException(io.github.miniomigrator.i18n.Messages.text("cli.cutover.forward-refused", what, e.getMessage()));
        }
        if (record.isPresent()) {
            throw new SettingsException(record.get().refusal(what));
        }
    }
}
