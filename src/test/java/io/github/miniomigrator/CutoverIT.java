package io.github.miniomigrator;

import static io.github.miniomigrator.support.TestStores.put;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.support.TestStores;
import io.github.miniomigrator.support.Wait;
import io.github.miniomigrator.support.ZooKeeperProxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The cutover against a real ZooKeeper (curator-test TestingServer) and the S3Proxy servers. */
@Tag("cluster")
class CutoverIT {
    static final String OSS_SECRET = "oss-SECRET-value-77aa";
    TestingServer zkServer;
    ZooKeeper zk;
    TestStores stores;

    @BeforeEach
    void start() throws Exception {
        zkServer = new TestingServer(true);
        zk = connect();
        stores = new TestStores(false);
        stores.source.createBucket("archive-temp");
        stores.target.createBucket("oss-temp");
        put(stores.sourceClient, "archive-temp", "scan/1.tif", "scan".getBytes());
        assertEquals(0, stores.run("copy", stores.arguments("archive-temp:oss-temp")).exitCode());
        // the application's settings as they are before the switch: MinIO
        create("/api-archive", "");
        create("/api-archive/pri", "");
        create("/api-archive/pri/storeType", "2");
        create("/api-archive/pri/SECRET_KEY_ID", "old-minio-secret");
    }

    ZooKeeper connect() throws Exception {
        return ClusterDrainIT.connect(zkServer.getConnectString());
    }

    @AfterEach
    void stop() throws Exception {
        zk.close();
        zkServer.close();
        stores.close();
    }

    void create(String path, String value) throws Exception {
        zk.create(path, value.getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    }

    String read(String path) throws Exception {
        try {
            return new String(zk.getData(path, false, null), StandardCharsets.UTF_8);
        } catch (KeeperException.NoNodeException e) {
            return null;
        }
    }

    Path plan(String... lines) throws Exception {
        Path file = stores.work().resolve("plan-" + System.nanoTime() + ".txt");
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file;
    }

    /** The runbook's plan lines, as they are, with placeholders for the secrets. */
    Path runbookPlan() throws Exception {
        return plan("# the runbook's ZooKeeper switch",
                "/api-archive/pri=storeType=4",
                "/api-archive/pri=ACCESS_KEY_ID={{migration.target.access-key}}",
                "/api-archive/pri=SECRET_KEY_ID={{env:OSS_SECRET_KEY}}",
                "/api-archive/pri=ERP_ARCHIVE_BUCKET_NAME=oss-temp",
                "/api-archive/pri=SCAN_BUCKET_NAME=oss-temp",
                "/api-archive/pri=endPoint=oss-temp.oss-cn-north-4.example-endpoint.com",
                "/api-archive-invoice/pri=BUCKET_NAME=oss-temp");
    }

    TestStores.Run cutover(Path plan, String... more) throws Exception {
        List<String> args = new ArrayList<>(stores.arguments("archive-temp:oss-temp", "migration.events.mode=off",
                "migration.cutover.zookeeper=" + zkServer.getConnectString(), "migration.cutover.quiet-period=0s",
                "migration.cutover.plan=" + plan));
        args.addAll(List.of(more));
        return stores.runWith("cutover", args, java.util.Map.of("OSS_SECRET_KEY", OSS_SECRET));
    }

    @Test
    void appliesTheRunbookPlanNodePerKeyThenRollsBackByteForByte() throws Exception {
        Path hooks = stores.work().resolve("hooks");
        TestStores.Run run = cutover(runbookPlan(), "migration.hooks.cutover-finished=file:" + hooks + "?fileName=cutover.json");
        assertEquals(0, run.exitCode(), run.all());
        // the command went through the perform-cutover route: its hook has the result
        com.fasterxml.jackson.databind.JsonNode finished = new com.fasterxml.jackson.databind.ObjectMapper().readTree(hooks.resolve("cutover.json").toFile());
        assertEquals("CUT_OVER", finished.get("outcome").asText(), finished.toString());
        assertEquals(0, finished.get("exitCode").asInt());
        assertEquals("oss-temp", finished.get("targets").asText());
        assertEquals(backupOf(run).toAbsolutePath().toString(), finished.get("backup").asText());
        assertFalse(finished.toString().contains(OSS_SECRET), finished.toString());
        assertEquals("4", read("/api-archive/pri/storeType"));
        assertEquals(stores.target.accessKey(), read("/api-archive/pri/ACCESS_KEY_ID"));
        assertEquals(OSS_SECRET, read("/api-archive/pri/SECRET_KEY_ID"));
        assertEquals("oss-temp", read("/api-archive-invoice/pri/BUCKET_NAME"));
        assertEquals(0, zk.exists("/api-archive/pri/storeType", false).getEphemeralOwner(), "PERSISTENT, not EPHEMERAL");
        assertTrue(run.out().contains("/api-archive/pri storeType: 2 -> 4"), run.out());
        assertTrue(run.out().contains("/api-archive/pri SECRET_KEY_ID: **** -> ****"), run.out());
        assertFalse(run.all().contains(OSS_SECRET) || run.all().contains("old-minio-secret"), "secrets masked: " + run.all());
        Path backup = backupOf(run);
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), Files.getPosixFilePermissions(backup));

        TestStores.Run rollback = rollback(backup);
        assertEquals(0, rollback.exitCode(), rollback.all());
        assertEquals("2", read("/api-archive/pri/storeType"));
        assertArrayEquals("old-minio-secret".getBytes(StandardCharsets.UTF_8), zk.getData("/api-archive/pri/SECRET_KEY_ID", false, null));
        assertNull(read("/api-archive/pri/ACCESS_KEY_ID"), "nodes the cutover created are gone");
        assertNull(read("/api-archive-invoice"), "parents it created too");
    }

    @Test
    void propertiesLayoutKeepsTheKeysThePlanDoesNotTouch() throws Exception {
        create("/app", "");
        create("/app/pri", "# settings\nstoreType=2\nOTHER_KEY=kept as is\n");
        TestStores.Run run = cutover(plan("/app/pri=storeType=4", "/app/pri=BUCKET_NAME=oss-temp"), "migration.cutover.layout=properties");
        assertEquals(0, run.exitCode(), run.all());
        assertEquals("# settings\nstoreType=4\nOTHER_KEY=kept as is\nBUCKET_NAME=oss-temp\n", read("/app/pri"));
        assertEquals(0, rollback(backupOf(run)).exitCode());
        assertEquals("# settings\nstoreType=2\nOTHER_KEY=kept as is\n", read("/app/pri"));
    }

    @Test
    void aTransactionThatFailsPartwayLeavesEveryValueAsItWas() throws Exception {
        zk.create("/api-archive/pri/endPoint", "minio.internal:9000".getBytes(), ZooDefs.Ids.READ_ACL_UNSAFE, CreateMode.PERSISTENT);
        TestStores.Run run = cutover(runbookPlan());
        assertEquals(2, run.exitCode(), run.all());
        assertTrue(run.out().contains("every value is as it was"), run.out());
        assertEquals("2", read("/api-archive/pri/storeType"));
        assertEquals("old-minio-secret", read("/api-archive/pri/SECRET_KEY_ID"));
        assertNull(read("/api-archive/pri/ACCESS_KEY_ID"));
        assertNull(read("/api-archive-invoice"));
    }

    @Test
    void refusesWhenTheFinalVerifyFindsADifference() throws Exception {
        // the drain's full pass copies a missing object back; what it cannot mend without migration.remove is an object
        // only the target has, which the final verify reports as a difference
        stores.targetClient.deleteObject(b -> b.bucket("oss-temp").key("scan/1.tif"));
        put(stores.targetClient, "oss-temp", "stray.txt", "only on the target".getBytes());
        Path started = stores.work().resolve("started-again");
        Path hooks = stores.work().resolve("hooks");
        TestStores.Run run = cutover(runbookPlan(), "migration.cutover.stop-command=true", "migration.cutover.start-command=touch " + started,
                "migration.hooks.cutover-finished=file:" + hooks + "?fileName=cutover.json");
        assertEquals(1, run.exitCode(), run.all());
        assertTrue(run.out().contains("Cutover refused: the final verify found differences"), run.out());
        // a refusal reaches the hook as one: a "switched" message would look at the outcome
        com.fasterxml.jackson.databind.JsonNode finished = new com.fasterxml.jackson.databind.ObjectMapper().readTree(hooks.resolve("cutover.json").toFile());
        assertEquals("REFUSED", finished.get("outcome").asText(), finished.toString());
        assertTrue(finished.get("reason").asText().startsWith("Cutover refused: the final verify found differences"), finished.toString());
        assertEquals("2", read("/api-archive/pri/storeType"));
        // the application it stopped runs again, on MinIO (issue 19: a refused cutover used to leave it stopped)
        assertTrue(run.out().contains("The application was stopped: the start command runs again (it still uses MinIO)."), run.out());
        assertTrue(Files.exists(started), "the start command ran: " + run.out());
    }

    @Test
    void anUnreachableZooKeeperStopsTheCutoverBeforeAnythingRuns() throws Exception {
        Path marker = stores.work().resolve("stop-command-ran");
        TestStores.Run run = cutover(runbookPlan(), "migration.cutover.zookeeper=127.0.0.1:" + EventsIT.freePort(),
                "migration.cutover.stop-command=touch " + marker);
        assertEquals(2, run.exitCode(), run.all());
        assertTrue(run.all().contains("cannot reach ZooKeeper at 127.0.0.1:"), run.all());
        assertFalse(Files.exists(marker), "the application was not stopped");
    }

    @Test
    void zooKeeperLostBetweenTheReadAndTheTransactionChangesNothingAndSaysWhatToDo() throws Exception {
        Path stopping = stores.work().resolve("stopping");
        Path stopped = stores.work().resolve("zookeeper-stopped");
        Thread outage = new Thread(() -> {
            try {
                Wait.until("the stop command runs", java.time.Duration.ofSeconds(60), () -> Files.exists(stopping));
                zkServer.stop(); // gone after the first read, before the transaction
                Files.writeString(stopped, "");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        outage.start();
        TestStores.Run run = cutover(runbookPlan(), "migration.cutover.stop-command=touch " + stopping
                + " && while [ ! -e " + stopped + " ]; do sleep 0.1; done");
        outage.join();
        assertEquals(2, run.exitCode(), run.all());
        // the drain's sync registers on ZooKeeper (so a later cutover can shut it): it is the first to find it gone
        assertTrue(run.all().contains("Cutover failed: the sync that drains could not run (run refused: cannot reach ZooKeeper at "), run.all());
        assertTrue(run.all().contains("nothing was written to ZooKeeper. The application was stopped and still uses MinIO: start it again"),
                run.all());
        zkServer.restart();
        zk.close();
        zk = connect();
        assertEquals("2", read("/api-archive/pri/storeType"), "nothing changed");
        assertNull(read("/api-archive/pri/ACCESS_KEY_ID"));
    }

    @Test
    void zooKeeperLostDuringTheTransactionAfterTheServerAppliedItEndsAsAppliedAndSaysSo() throws Exception {
        try (ZooKeeperProxy proxy = ZooKeeperProxy.inFrontOf(zkServer.getPort(), ZooKeeperProxy.Cut.AFTER_THE_SERVER_APPLIED)) {
            TestStores.Run run = cutover(runbookPlan(), "migration.cutover.zookeeper=" + proxy.connectString());
            assertTrue(proxy.hasCut(), "the transaction's connection was cut after the server answered it: " + run.all());
            assertEquals(0, run.exitCode(), run.all());
            assertTrue(run.out().contains("ZooKeeper at " + proxy.connectString() + " was lost during the transaction (KeeperErrorCode = "
                    + "ConnectionLoss); a new connection read every node back holding its new value, so the transaction applied."), run.out());
            assertTrue(run.out().contains("/api-archive/pri storeType: 2 -> 4"), run.out());
            assertTrue(run.out().contains("Cutover done. To go back: minio-migrator rollback --backup " + backupOf(run)), run.out());
            assertFalse(run.all().contains(OSS_SECRET) || run.all().contains("old-minio-secret"), "secrets masked: " + run.all());
        }
        assertEquals("4", read("/api-archive/pri/storeType"));
        assertEquals(stores.target.accessKey(), read("/api-archive/pri/ACCESS_KEY_ID"));
        assertEquals(OSS_SECRET, read("/api-archive/pri/SECRET_KEY_ID"));
        assertEquals("oss-temp", read("/api-archive-invoice/pri/BUCKET_NAME"));
    }

    @Test
    void zooKeeperLostDuringTheTransactionBeforeTheServerSawItChangesNothingAndSaysWhatToDo() throws Exception {
        Map<String, String> before = everyNode();
        try (ZooKeeperProxy proxy = ZooKeeperProxy.inFrontOf(zkServer.getPort(), ZooKeeperProxy.Cut.BEFORE_THE_SERVER_SAW_IT)) {
            TestStores.Run run = cutover(runbookPlan(), "migration.cutover.zookeeper=" + proxy.connectString());
            assertTrue(proxy.hasCut(), "the transaction's connection was cut before the server saw it: " + run.all());
            assertEquals(2, run.exitCode(), run.all());
            assertTrue(run.out().contains("Cutover failed: ZooKeeper at " + proxy.connectString() + " was lost during the transaction "
                    + "(KeeperErrorCode = ConnectionLoss); a new connection read every node back holding its old value, so nothing was "
                    + "written. The application still uses MinIO: run cutover again once ZooKeeper answers."), run.out());
            assertFalse(run.out().contains("Cutover done"), run.out());
        }
        assertEquals(before, everyNode(), "every node as it was, byte for byte and version for version");
    }

    /**
     * Every node but ZooKeeper's own and the tool's bookkeeping folders (where cutovers are recorded: the empty folders
     * stay, no record may): path -> its bytes in hex and its version, so a rewrite with the same bytes shows too.
     */
    Map<String, String> everyNode() throws Exception {
        Map<String, String> nodes = new TreeMap<>();
        addTree("/", nodes);
        return nodes;
    }

    private void addTree(String path, Map<String, String> nodes) throws Exception {
        if (path.equals("/zookeeper")) {
            return;
        }
        if (path.startsWith("/minio-migrator/cutovers/")) {
            assertEquals(List.of(), zk.getChildren(path, false), "no cutover record nor closing mark is left: " + path);
            return;
        }
        Stat stat = new Stat();
        byte[] data = zk.getData(path, false, stat);
        if (!path.equals("/minio-migrator") && !path.equals("/minio-migrator/cutovers")) {
            nodes.put(path, HexFormat.of().formatHex(data == null ? new byte[0] : data) + " v" + stat.getVersion());
        }
        for (String child : zk.getChildren(path, false)) {
            addTree((path.equals("/") ? "" : path) + "/" + child, nodes);
        }
    }

    @Test
    void aDrainWhosePassFailedSaysSoAndNamesTheObjects() throws Exception {
        put(stores.sourceClient, "archive-temp", "scan/refused.tif", "the target refuses this one".getBytes());
        try (io.github.miniomigrator.support.FaultyProxy target = io.github.miniomigrator.support.FaultyProxy.seeing(
                RemoveIT.portOf(stores.target.endpoint()), r -> r.method().equals("PUT") && r.path().contains("refused.tif")
                        ? io.github.miniomigrator.support.FaultyProxy.Fault.FORBIDDEN : io.github.miniomigrator.support.FaultyProxy.Fault.PASS)) {
            TestStores.Run run = cutover(runbookPlan(), "migration.target.endpoint=" + target.endpoint());
            assertEquals(1, run.exitCode(), run.all());
            assertTrue(run.out().contains("Cutover refused: the sync's pass failed: 1 objects could not be copied (scan/refused.tif: HTTP 403"),
                    run.out());
            assertFalse(run.out().contains("Is the application really stopped"), "no talk of events still flowing: " + run.out());
            assertEquals("2", read("/api-archive/pri/storeType"), "nothing written");
        }
    }

    @Test
    void refusesWhenEventsKeepFlowingAndWhenTheStopCommandFails() throws Exception {
        int port = EventsIT.freePort();
        String token = "webhook-token-0123456789abcdef";
        java.util.concurrent.atomic.AtomicBoolean sending = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread events = new Thread(() -> {
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            while (sending.get()) {
                try {
                    http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/minio/events"))
                            .header("Authorization", "Bearer " + token)
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(io.github.miniomigrator.support.MinioEvents.webhook(
                                    "s3:ObjectCreated:Put", "archive-temp", "scan/1.tif"))).build(),
                            java.net.http.HttpResponse.BodyHandlers.discarding());
                    Thread.sleep(100);
                } catch (Exception e) {
                    // not up yet, or stopping
                }
            }
        });
        events.start();
        try {
            TestStores.Run run = cutover(runbookPlan(), "migration.events.mode=webhook", "migration.http.port=" + port,
                    "migration.events.webhook.token=" + token, "migration.cutover.quiet-period=4s", "migration.cutover.drain-timeout=10s");
            assertEquals(1, run.exitCode(), run.all());
            assertTrue(run.out().contains("events are still flowing"), run.out());
            assertEquals("2", read("/api-archive/pri/storeType"));
        } finally {
            sending.set(false);
            events.join();
        }
        TestStores.Run stopFails = cutover(runbookPlan(), "migration.cutover.stop-command=echo stopping; exit 3");
        assertEquals(2, stopFails.exitCode(), stopFails.all());
        assertTrue(stopFails.out().contains("| stopping") && stopFails.out().contains("exit code 3"), stopFails.out());
        assertEquals("2", read("/api-archive/pri/storeType"));
        TestStores.Run startFails = cutover(runbookPlan(), "migration.cutover.start-command=exit 1");
        assertEquals(2, startFails.exitCode(), startFails.all());
        assertTrue(startFails.out().contains("rollback --backup"), startFails.out());
    }

    @Test
    void anOperatorStartsTheCutoverRouteOverJmxInARunningRun() throws Exception {
        List<String> args = new ArrayList<>(stores.arguments("archive-temp:oss-temp", "migration.events.mode=off",
                "migration.cutover.zookeeper=" + zkServer.getConnectString(), "migration.cutover.quiet-period=0s",
                "migration.cutover.plan=" + plan("/api-archive/pri=storeType=4", "/api-archive/pri=SECRET_KEY_ID={{migration.target.secret-key}}")));
        try (EventsIT.Running run = new EventsIT.Running(stores, args)) {
            javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
            javax.management.ObjectName route = server.queryNames(new javax.management.ObjectName("org.apache.camel:type=routes,*"), null)
                    .stream().filter(n -> n.getKeyProperty("name").equals("\"cutover\"")).findFirst().orElseThrow();
            assertEquals("Stopped", server.getAttribute(route, "State"), "the cutover never starts by itself");
            server.invoke(route, "start", null, null);
            io.github.miniomigrator.support.Wait.until("the cutover wrote ZooKeeper", java.time.Duration.ofSeconds(60),
                    () -> {
                        try {
                            return "4".equals(read("/api-archive/pri/storeType"));
                        } catch (Exception e) {
                            return false;
                        }
                    });
            io.github.miniomigrator.support.Wait.until("the cutover finished", java.time.Duration.ofSeconds(60),
                    () -> run.output().contains("Cutover done."));
            assertEquals(TestStores.TARGET_SECRET, read("/api-archive/pri/SECRET_KEY_ID"));
            assertFalse(run.output().contains(TestStores.TARGET_SECRET), run.output());
        }
    }

    /** A rollback with the cutover's settings: it brings MinIO level with the target before ZooKeeper points back. */
    TestStores.Run rollback(Path backup) throws Exception {
        List<String> args = new ArrayList<>(List.of("--backup", backup.toString()));
        args.addAll(stores.arguments("archive-temp:oss-temp", "migration.events.mode=off", "migration.cutover.smoke-test=false"));
        return stores.run("rollback", args);
    }

    static Path backupOf(TestStores.Run run) {
        Matcher m = Pattern.compile("Backup of the previous values \\(mode 0600\\): (\\S+)").matcher(run.out());
        assertTrue(m.find(), run.out());
        return Path.of(m.group(1));
    }
}
