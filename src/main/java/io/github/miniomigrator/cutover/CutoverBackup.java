package io.github.miniomigrator.cutover;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;

/**
 * What a cutover changed, to undo it: each node's previous bytes (byte-identical, base64) and the nodes it created.
 * It holds the previous values, old secret keys among them, so it is written readable by its owner only (0600).
 */
public record CutoverBackup(String zookeeper, String layout, List<Node> nodes, List<String> created, List<String> records,
        List<io.github.miniomigrator.config.BucketMapping> mappings) {

    public record Node(String node, boolean existed, String previousBase64) {
    }

    /**
     * @param records the cutover record's nodes, which the rollback removes in its transaction
     * @param mappings what was cut over (the rollback clears their record in migration.state.dir too)
     */
    public static CutoverBackup of(String zookeeper, String layout, List<ZooKeeperSwitch.NodeChange> changes, List<String> created,
            List<String> records, List<io.github.miniomigrator.config.BucketMapping> mappings) {
        return new CutoverBackup(zookeeper, layout, changes.stream().map(c -> new Node(c.node(), c.existed(),
                c.existed() ? Base64.getEncoder().encodeToString(c.before()) : null)).toList(), created, records, mappings);
    }

    /** The record nodes to remove; none in a backup written before cutovers were recorded. */
    public List<String> recordNodes() {
        return records == null ? List.of() : records;
    }

    public List<io.github.miniomigrator.config.BucketMapping> cutMappings() {
        return mappings == null ? List.of() : mappings;
    }

    public List<ZooKeeperSwitch.NodeChange> asChanges() {
        return nodes.stream().map(n -> new ZooKeeperSwitch.NodeChange(n.node(), n.existed(),
                n.existed() ? Base64.getDecoder().decode(n.previousBase64()) : null, -1, null)).toList();
    }

    public void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.writeString(file, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this));
    }

    public static CutoverBackup read(Path file) throws IOException {
        return new ObjectMapper().readValue(file.toFile(), CutoverBackup.class);
    }
}
