package io.github.miniomigrator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.command.CutoverInRun;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.config.SettingsException;
import io.github.miniomigrator.events.SyncStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** migration.cluster.*: what is accepted, what is refused (naming the setting and the fix), and the follower's cutover refusal. */
class ClusterSettingsTest {
    static Settings settings(String... keyValues) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put(keyValues[i], keyValues[i + 1]);
        }
        return new Settings(values);
    }

    static ClusterSettings cluster(String connect, String... more) {
        String[] all = new String[more.length + 2];
        all[0] = "migration.cluster.zookeeper";
        all[1] = connect;
        System.arraycopy(more, 0, all, 2, more.length);
        return ClusterSettings.of(settings(all)).orElseThrow();
    }

    static String refusal(String connect, String... more) {
        return assertThrows(SettingsException.class, () -> cluster(connect, more)).getMessage();
    }

    @Test
    void unsetMeansAlone() {
        assertTrue(ClusterSettings.of(settings()).isEmpty());
        assertTrue(ClusterSettings.of(settings("migration.cluster.zookeeper", " ")).isEmpty());
    }

    @Test
    void serversChrootNameAndSessionTimeout() {
        ClusterSettings one = cluster("zk1:2181");
        assertEquals("zk1:2181", one.servers());
        assertEquals("minio-migrator", one.namespace());
        assertEquals("minio-migrator", one.name());
        assertEquals(Duration.ofSeconds(15), one.sessionTimeout());
        ClusterSettings chrooted = cluster("zk1:2181,10.0.0.2:2181,[::1]:2182/apps/archive", "migration.cluster.name", "archive-to-oss",
                "migration.cluster.session-timeout", "30s");
        assertEquals("zk1:2181,10.0.0.2:2181,[::1]:2182", chrooted.servers());
        assertEquals("apps/archive/minio-migrator", chrooted.namespace());
        assertEquals("archive-to-oss", chrooted.name());
        assertEquals(Duration.ofSeconds(30), chrooted.sessionTimeout());
    }

    @Test
    void aConnectStringThatIsNotHostPortIsRefusedNamingTheSetting() {
        for (String bad : new String[] {"zk1", "zk1:2181,", ",zk1:2181", "zk1:2181;zk2:2181", "zk1:2181/", "zk1:2181/apps//x", "zk1:2181/..",
                "zk://zk1:2181", "zk1:2181 zk2:2181"}) {
            String message = refusal(bad);
            assertTrue(message.startsWith("migration.cluster.zookeeper: '" + bad.trim() + "' is not host:port[,host:port][/chroot]"), message);
            assertTrue(message.contains("leave it empty to run this instance alone"), message);
        }
    }

    @Test
    void aBadNameOrSessionTimeoutIsRefused() {
        assertTrue(refusal("zk1:2181", "migration.cluster.name", "my/migration").startsWith("migration.cluster.name='my/migration' is not a name"));
        assertTrue(refusal("zk1:2181", "migration.cluster.session-timeout", "500ms").startsWith("migration.cluster.session-timeout=500ms is out of range"));
        assertTrue(refusal("zk1:2181", "migration.cluster.session-timeout", "soon").contains("is not a duration"));
    }

    @Test
    void aFollowerRefusesTheCutoverNamingTheLeader() {
        Leadership follower = new Leadership() {
            @Override
            public boolean leads() {
                return false;
            }

            @Override
            public long term() {
                return 0;
            }

            @Override
            public String describe() {
                return "follower in migration 'archive' (host-b:8080#1a2b, leader host-a:8080#3c4d, 2 members)";
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CutoverInRun cutover = new CutoverInRun(settings(), Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new SyncStatus(Duration.ofSeconds(30)));
        cutover.ledBy(follower);
        io.github.miniomigrator.cutover.CutoverResult result = cutover.perform();
        assertEquals(1, cutover.lastResult());
        assertEquals("REFUSED", result.outcome());
        assertTrue(result.reason().contains("leader host-a:8080#3c4d"), result.reason());
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("Cutover refused: this instance is a follower in migration 'archive'")
                && text.contains("leader host-a:8080#3c4d") && text.contains("start the cutover route on the leader"), text);
    }
}
