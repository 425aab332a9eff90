package io.github.miniomigrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.miniomigrator.support.HeldAnswers;
import io.github.miniomigrator.support.MinioEvents;
import io.github.miniomigrator.support.TestStores;
import io.github.miniomigrator.support.Wait;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The cutover's "drained" holds for the whole migration: two `run` instances in this JVM share one migration on a real
 * ZooKeeper (curator-test), each taking its own MinIO webhook events, copying between real S3 servers. While the
 * follower holds a pending event (its target's answer held back by a proxy), the leader's cutover refuses and names it;
 * released, the cutover proceeds. A member whose session lives but whose status stopped changing is refused too.
 */
@Tag("cluster")
class ClusterDrainIT {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String TOKEN = "webhook-token-0123456789abcdef";
    static final String CLUSTER = "it-drain";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A proxy to the target that holds the answer to every PUT under held/ (the object is written, the answer not delivered) until released. */
    static HeldAnswers heldWrites(TestStores stores) throws Exception {
        return new HeldAnswers(stores.target.endpoint(), r -> r.method().equals("PUT") && r.path().startsWith("/dst/held/"), false, WAIT);
    }

    static List<String> member(TestStores stores, TestingServer zooKeeper, Path plan, int port, String name, String... more) throws Exception {
        List<String> args = stores.arguments("src:dst", "migration.events.mode=webhook", "migration.events.webhook.token=" + TOKEN,
                "migration.remove=true", "migration.http.port=" + port,
                "migration.cluster.zookeeper=" + zooKeeper.getConnectString() + "/apps/drain", "migration.cluster.name=" + CLUSTER,
                "migration.cluster.session-timeout=3s", "migration.report.dir=" + stores.work().resolve("reports-" + name),
                "migration.state.dir=" + stores.work().resolve("state-" + name),
                "migration.cutover.zookeeper=" + zooKeeper.getConnectString(), "migration.cutover.plan=" + plan,
                "migration.cutover.drain-timeout=3s", "migration.cutover.smoke-test=false");
        args.addAll(List.of(more));
        return args;
    }

    static JsonNode clusterHealth(int port) throws Exception {
        for (JsonNode check : new ObjectMapper().readTree(HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/observe/health?data=true")).build(), HttpResponse.BodyHandlers.ofString()).body()).path("checks")) {
            if (check.path("name").asText().equals("migration-cluster")) {
                return check.path("data");
            }
        }
        throw new AssertionError("no migration-cluster check on port " + port);
    }

    static boolean clusterDrained(int port) {
        try {
            return clusterHealth(port).path("drained").asBoolean(false);
        } catch (Exception e) {
            return false;
        }
    }

    static String notDrained(int port) {
        try {
            return clusterHealth(port).path("notDrained").asText("");
        } catch (Exception e) {
            return "";
        }
    }

    /** Runs the leader's cutover route step as starting the route over JMX would; its exit code. */
    static int cutover(EventsIT.Running leader) {
        leader.command.cutover().execute();
        return leader.command.cutover().lastResult();
    }

    @Test
    void theLeadersCutoverWaitsUntilEveryInstanceIsDrainedAndNamesThoseThatAreNot() throws Exception {
        InstanceSpec spec = new InstanceSpec(null, -1, -1, -1, true, -1, ClusterLeaderIT.TICK_MILLIS, -1);
        try (TestingServer zooKeeper = new TestingServer(spec, true); TestStores stores = new TestStores(false);
                HeldAnswers held = heldWrites(stores)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            ClusterLeaderIT.putObjects(stores, "scan/", 30);
            Path plan = stores.work().resolve("switch.txt");
            Files.writeString(plan, "/api-archive/pri=storeType=4\n");
            ZooKeeper zk = connect(zooKeeper.getConnectString());
            try {
                zk.create("/api-archive", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                zk.create("/api-archive/pri", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                zk.create("/api-archive/pri/storeType", "2".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                int portA = EventsIT.freePort();
                int portB = EventsIT.freePort();
                // A starts first, leads and runs the full pass; B follows, its target writes through the proxy that can hold them
                try (EventsIT.Running a = new EventsIT.Running(stores, member(stores, zooKeeper, plan, portA, "a"));
                        EventsIT.Running b = EventsIT.Running.starting(stores, member(stores, zooKeeper, plan, portB, "b",
                                "migration.target.endpoint=" + held.proxy.endpoint()))) {
                    assertTrue(a.command.leads(), a.output());
                    Wait.until("B follows", WAIT, () -> b.output().contains("This instance is a follower"));
                    Wait.until("every instance is drained (" + notDrained(portA) + ")", WAIT, () -> clusterDrained(portA));
                    assertTrue(clusterDrained(portB), "a follower sees the same: " + notDrained(portB));
                    String memberB = clusterHealth(portB).path("member").asText();
                    assertTrue(memberB.contains(":" + portB + "#"), memberB);

                    // an event on B whose sync cannot finish: B holds it pending, A's own status is drained
                    TestStores.put(stores.sourceClient, "src", "held/1.txt", "written while the application still ran".getBytes());
                    assertTrue(MinioEvents.post(portB, TOKEN, MinioEvents.webhook("s3:ObjectCreated:Put", "src", "held/1.txt")).statusCode() < 300);
                    Wait.until("B holds the event pending", WAIT, () -> b.command.status().getPending() == 1);
                    assertTrue(a.command.status().isDrained(), "the leader alone is drained: " + a.command.status().line());
                    Wait.until("A's health names B as not drained", WAIT, () -> notDrained(portA).contains(memberB + ": follower, 1 pending"));
                    assertFalse(clusterDrained(portA));

                    assertEquals(1, cutover(a), a.output());
                    assertTrue(a.output().contains("Cutover refused: events are still flowing (not drained within 3s: " + memberB
                            + ": follower, 1 pending (oldest "), a.output());
                    assertEquals("2", read(zk, "/api-archive/pri/storeType"), "nothing written");

                    // released: B converges its key and is drained once quiet
                    held.release();
                    Wait.until("B is drained again and A sees it (" + notDrained(portA) + ")", WAIT, () -> clusterDrained(portA));

                    // a member whose session lives but whose status stopped changing (a hung process): refused, named
                    String ghost = "ghost-host:9999#dead";
                    ZooKeeper hung = connect(zooKeeper.getConnectString());
                    try {
                        hung.create("/apps/drain/minio-migrator/members/" + CLUSTER + "/" + ghost, ("{\"member\":\"" + ghost
                                + "\",\"role\":\"follower\",\"pending\":0,\"unread\":0,\"drained\":true}").getBytes(StandardCharsets.UTF_8),
                                ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
                        Wait.until("A's health says the hung member has not reported (" + notDrained(portA) + ")", WAIT,
                                () -> notDrained(portA).contains(ghost + ": has not reported for "));
                        assertEquals(1, cutover(a), a.output());
                        assertTrue(a.output().contains("Cutover refused: events are still flowing (not drained within 3s: " + ghost
                                + ": has not reported for "), a.output());
                        assertEquals("2", read(zk, "/api-archive/pri/storeType"), "nothing written");
                    } finally {
                        hung.close(); // its session ends: the node goes with it
                    }

                    Wait.until("every instance is drained (" + notDrained(portA) + ")", WAIT, () -> clusterDrained(portA));
                    assertEquals(0, cutover(a), a.output());
                    assertTrue(a.output().contains("Cutover done."), a.output());
                    assertEquals("4", read(zk, "/api-archive/pri/storeType"));
                    assertEquals(TestStores.contents(stores.sourceClient, "src", ""), TestStores.contents(stores.targetClient, "dst", ""));
                    for (EventsIT.Running run : List.of(a, b)) {
                        assertFalse(run.output().contains(TestStores.SOURCE_SECRET) || run.output().contains(TestStores.TARGET_SECRET));
                    }
                }
            } finally {
                zk.close();
            }
        }
    }

    static ZooKeeper connect(String servers) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper client = new ZooKeeper(servers, 15_000, e -> {
            if (e.getState() == org.apache.zookeeper.Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        assertTrue(connected.await(15, TimeUnit.SECONDS));
        return client;
    }

    static String read(ZooKeeper zk, String path) throws Exception {
        return new String(zk.getData(path, false, null), StandardCharsets.UTF_8);
    }
}
