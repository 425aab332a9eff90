package io.github.miniomigrator.cluster;

import io.github.miniomigrator.config.HostPort;
import io.github.miniomigrator.config.Setting;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.config.SettingsException;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where `run` instances elect their leader: ZooKeeper's servers, an optional chroot under which the tool's nodes live,
 * the migration's name (one election per name) and the session timeout. Empty when migration.cluster.zookeeper is unset.
 */
public record ClusterSettings(String servers, String chroot, String name, Duration sessionTimeout) {
    private static final Pattern CHROOT = Pattern.compile("(/[A-Za-z0-9_.-]+)+");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Duration SHORTEST = Duration.ofSeconds(1);
    private static final Duration LONGEST = Duration.ofMinutes(10);

    public static Optional<ClusterSettings> of(Settings settings) {
        String connect = settings.get(Setting.CLUSTER_ZOOKEEPER).trim();
        if (connect.isEmpty()) {
            return Optional.empty();
        }
        int slash = connect.indexOf('/');
        String servers = slash < 0 ? connect : connect.substring(0, slash);
        String chroot = slash < 0 ? "" : connect.substring(slash);
        boolean serversOk = !servers.isEmpty() && servers.chars().filter(c -> c == ',').count() + 1 == servers.split(",").length;
        for (String server : servers.split(",")) {
            serversOk &= HostPort.matches(server);
        }
        if (!serversOk || !chroot.isEmpty() && (!CHROOT.matcher(chroot).matches() || chroot.matches(".*/\\.{1,2}(/.*)?"))) {
            throw new SettingsException(Setting.CLUSTER_ZOOKEEPER.key() + ": '" + connect + "' is not host:port[,host:port][/chroot]; "
                    + "write the ZooKeeper servers as zk1:2181,zk2:2181 (those of " + Setting.CUTOVER_ZOOKEEPER.key()
                    + "), optionally followed by a chroot such as /minio-migrator, or leave it empty to run this instance alone.");
        }
        String name = settings.get(Setting.CLUSTER_NAME).trim();
        if (!NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new SettingsException(Setting.CLUSTER_NAME.key() + "='" + name + "' is not a name: use 1 to 64 letters, digits, "
                    + "'.', '_' or '-', the same on every instance of this migration (e.g. archive-to-oss).");
        }
        Duration timeout = settings.duration(Setting.CLUSTER_SESSION_TIMEOUT);
        if (timeout.compareTo(SHORTEST) < 0 || timeout.compareTo(LONGEST) > 0) {
            throw new SettingsException(Setting.CLUSTER_SESSION_TIMEOUT.key() + "=" + settings.get(Setting.CLUSTER_SESSION_TIMEOUT)
                    + " is out of range: from 1s to 10m (ZooKeeper itself keeps it within 2 and 20 of its ticks, 4s to 40s by default).");
        }
        return Optional.of(new ClusterSettings(servers, chroot, name, timeout));
    }

    /** Curator's namespace: the chroot without its leading slash, then the tool's own folder (created when missing). */
    public String namespace() {
        return (chroot.isEmpty() ? "" : chroot.substring(1) + "/") + "minio-migrator";
    }
}
