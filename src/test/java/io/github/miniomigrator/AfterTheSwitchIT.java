package io.github.miniomigrator;

import static io.github.miniomigrator.support.TestStores.contents;
import static io.github.miniomigrator.support.TestStores.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.support.TestStores;
import io.github.miniomigrator.support.Wait;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * After the switch the target is the truth (invariant 10): once a cutover applied, the runbook's own commands — copy with
 * migration.remove=true, a restarted run, a run left running, a second cutover — refuse to sync forward, and what the
 * application wrote, rewrote and deleted on the target stays as it left it (judged by the stored bytes). A rollback
 * clears the record.
 */
@Tag("cluster")
class AfterTheSwitchIT {
    static final Duration WAIT = Duration.ofSeconds(90);
    TestingServer zkServer;
    ZooKeeper zk;
    TestStores stores;

    @BeforeEach
    void start() throws Exception {
        zkServer = new TestingServer(true);
        zk = ClusterDrainIT.connect(zkServer.getConnectString());
        stores = new TestStores(false);
        stores.source.createBucket("archive-temp");
        stores.target.createBucket("oss-temp");
        for (int i = 0; i < 5; i++) {
            put(stores.sourceClient, "archive-temp", "scan/" + i + ".tif", ("scan " + i).getBytes(StandardCharsets.UTF_8));
        }
        zk.create("/api-archive", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/api-archive/pri", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/api-archive/pri/storeType", "2".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    }

    @AfterEach
    void stop() throws Exception {
        zk.close();
        zkServer.close();
        stores.close();
    }

    List<String> arguments(String... more) throws Exception {
        Path plan = stores.work().resolve("plan.txt");
        Files.writeString(plan, "/api-archive/pri=storeType=4\n");
        List<String> args = new ArrayList<>(stores.arguments("archive-temp:oss-temp", "migration.events.mode=off", "migration.remove=true",
                "migration.cutover.zookeeper=" + zkServer.getConnectString(), "migration.cutover.quiet-period=0s",
                "migration.cutover.plan=" + plan, "migration.cutover.smoke-test=false"));
        args.addAll(List.of(more));
        return args;
    }

    /** The application on the target after the switch: 2 new objects, 1 rewritten, 1 deleted. */
    Map<String, String> applicationWrites() throws Exception {
        put(stores.targetClient, "oss-temp", "scan/new-1.tif", "new 1".getBytes(StandardCharsets.UTF_8));
        put(stores.targetClient, "oss-temp", "scan/新 2 ${x}+%.tif", "new 2".getBytes(StandardCharsets.UTF_8));
        put(stores.targetClient, "oss-temp", "scan/1.tif", "rewritten".getBytes(StandardCharsets.UTF_8));
        stores.targetClient.deleteObject(b -> b.bucket("oss-temp").key("scan/2.tif"));
        return contents(stores.targetClient, "oss-temp", "");
    }

    static void assertRefused(TestStores.Run run, String command) {
        assertEquals(2, run.exitCode(), run.all());
        String line = run.err().lines().filter(l -> l.contains("refused")).findFirst().orElseThrow(() -> new AssertionError(run.all()));
        assertTrue(line.startsWith("error: " + command + " refused: the application writes to the target since the cutover at "), line);
        assertTrue(line.contains("archive-temp -> oss-temp") && line.contains("rollback --backup "), line);
    }

    @Test
    void afterACutoverCopyRunAndCutoverRefuseAndTheApplicationsWritesStayUntilARollback() throws Exception {
        assertEquals(0, stores.run("copy", arguments()).exitCode());
        TestStores.Run cutover = stores.run("cutover", arguments());
        assertEquals(0, cutover.exitCode(), cutover.all());
        assertTrue(cutover.out().contains("Recorded: the application writes to oss-temp from now on"), cutover.out());
        Map<String, String> written = applicationWrites();

        assertRefused(stores.run("copy", arguments()), "copy");
        assertRefused(stores.run("cutover", arguments()), "Cutover");
        // a restarted run (systemd's Restart=) turns into the fallback sync: nothing goes forward
        try (EventsIT.Running run = EventsIT.Running.starting(stores, arguments("migration.fallback.interval=off"))) {
            awaitOutput(run, "this run keeps MinIO level with it by one fallback pass now");
        }
        // another machine (its own state folder) reads the record in ZooKeeper
        assertRefused(stores.run("copy", arguments("migration.state.dir=" + stores.work().resolve("elsewhere"))), "copy");
        // and this machine's record stands where ZooKeeper is not configured
        List<String> withoutZooKeeper = new ArrayList<>(arguments());
        withoutZooKeeper.removeIf(a -> a.startsWith("migration.cutover.zookeeper="));
        assertRefused(stores.run("copy", withoutZooKeeper), "copy");
        assertEquals(written, contents(stores.targetClient, "oss-temp", ""), "the target is as the application left it");
        assertEquals("4", new String(zk.getData("/api-archive/pri/storeType", false, null), StandardCharsets.UTF_8));

        TestStores.Run rollback = stores.run("rollback", withBackup(arguments(), cutover));
        assertEquals(0, rollback.exitCode(), rollback.all());
        assertTrue(rollback.out().contains("The cutover record is cleared"), rollback.out());
        assertEquals(List.of(), zk.getChildren("/minio-migrator/cutovers/records", false));
        assertEquals(0, stores.run("copy", arguments()).exitCode(), "forward again after the rollback");
    }

    @Test
    void aRunLeftRunningStopsItsForwardSyncWhenAnotherProcessCutsOver() throws Exception {
        assertEquals(0, stores.run("copy", arguments()).exitCode());
        try (EventsIT.Running run = new EventsIT.Running(stores, arguments("migration.state.dir=" + stores.work().resolve("left-running"),
                "migration.reconcile.interval=1s"))) {
            TestStores.Run cutover = stores.run("cutover", arguments());
            assertEquals(0, cutover.exitCode(), cutover.all());
            // the application writes at once: the run left running was shut before the final verify, not when it saw the record
            Map<String, String> written = applicationWrites();
            awaitOutput(run, "this run keeps MinIO level with it");
            assertEquals(written, contents(stores.targetClient, "oss-temp", ""), "its reconcile passes deleted nothing the application wrote");
            assertTrue(run.output().contains("The forward sync refused: the application writes to the target since the cutover at"),
                    run.output());
            assertTrue(run.output().contains("The forward sync has ended for good"), run.output());
        }
    }

    @Test
    void aCutoverInsideRunEndsItsForwardSyncAndTheSameRunKeepsMinioLevel() throws Exception {
        try (EventsIT.Running run = new EventsIT.Running(stores, arguments("migration.fallback.interval=1s"))) {
            run.command.cutover().execute();
            assertEquals(0, run.command.cutover().lastResult(), run.output());
            awaitOutput(run, "this run keeps MinIO level with it, a fallback pass every 1s");
            assertTrue(run.output().contains("The forward sync has ended for good"), run.output());
            Map<String, String> written = applicationWrites();
            Wait.until("the application's writes reached MinIO", WAIT, () -> {
                try {
                    return contents(stores.sourceClient, "archive-temp", "").equals(written);
                } catch (Exception e) {
                    return false;
                }
            });
            assertEquals(written, contents(stores.targetClient, "oss-temp", ""));
        }
    }

    /** The application's writes after the switch: 20 new (awkward keys, one in parts), 2 rewritten, 1 deleted. */
    void aWeekOnTheTarget() {
        String[] awkward = {"scan/${x}.tif", "scan/with space.tif", "scan/中文 扫描.tif", "scan/a+b.tif", "scan/100%.tif"};
        for (int i = 0; i < 20; i++) {
            String key = i < awkward.length ? awkward[i] : "scan/new-" + i + ".tif";
            put(stores.targetClient, "oss-temp", key, ("new " + i).getBytes(StandardCharsets.UTF_8));
        }
        byte[] big = new byte[6 << 20];
        new java.util.Random(7).nextBytes(big);
        stores.targetClient.deleteObject(b -> b.bucket("oss-temp").key("scan/new-19.tif"));
        TestStores.put(stores.targetClient, "oss-temp", "scan/new-19.tif", big); // the 20th, large: MinIO gets it in parts
        put(stores.targetClient, "oss-temp", "scan/0.tif", "rewritten 0".getBytes(StandardCharsets.UTF_8));
        put(stores.targetClient, "oss-temp", "scan/1.tif", "rewritten 1".getBytes(StandardCharsets.UTF_8));
        stores.targetClient.deleteObject(b -> b.bucket("oss-temp").key("scan/2.tif"));
    }

    @Test
    void theFallbackSyncOfARunAfterTheSwitchKeepsMinioLevelWithTheTarget() throws Exception {
        assertRefused(stores.run("fallback", arguments()), "fallback", "no cutover of archive-temp -> oss-temp is recorded");
        assertEquals(0, stores.run("copy", arguments()).exitCode());
        TestStores.Run cutover = stores.run("cutover", arguments());
        assertEquals(0, cutover.exitCode(), cutover.all());
        aWeekOnTheTarget();
        try (EventsIT.Running run = EventsIT.Running.starting(stores, arguments("migration.fallback.interval=1s",
                "migration.multipart.threshold=5MiB", "migration.multipart.part-size=5MiB"))) {
            Wait.until("MinIO holds what the target holds", WAIT, () -> {
                try {
                    return contents(stores.targetClient, "oss-temp", "").equals(contents(stores.sourceClient, "archive-temp", ""));
                } catch (Exception e) {
                    return false;
                }
            });
            assertTrue(run.output().contains("this run keeps MinIO level with it, a fallback pass every 1s"), run.output());
            // a rollback elsewhere ends the window: the run sees the record gone through the ZooKeeper session it holds
            assertEquals(0, stores.run("rollback", withBackup(arguments("migration.multipart.threshold=5MiB",
                    "migration.multipart.part-size=5MiB"), cutover)).exitCode());
            awaitOutput(run, "The cutover was rolled back: the fallback sync ends here");
        }
        assertEquals(24, contents(stores.sourceClient, "archive-temp", "").size());
    }

    @Test
    void aRollbackBringsMinioLevelBeforeZooKeeperPointsTheApplicationBack() throws Exception {
        assertEquals(0, stores.run("copy", arguments()).exitCode());
        TestStores.Run cutover = stores.run("cutover", arguments());
        assertEquals(0, cutover.exitCode(), cutover.all());
        aWeekOnTheTarget();
        Map<String, String> onTarget = contents(stores.targetClient, "oss-temp", "");

        // MinIO unreachable: refused, ZooKeeper untouched, the record stays
        List<String> unreachable = arguments("migration.source.endpoint=http://127.0.0.1:" + io.github.miniomigrator.demo.FreePort.next(),
                "migration.retries=0");
        TestStores.Run refused = stores.run("rollback", withBackup(unreachable, cutover));
        assertEquals(1, refused.exitCode(), refused.all());
        assertTrue(refused.out().contains("Rollback refused: MinIO could not be brought level with the target: the fallback pass could not run"),
                refused.out());
        assertTrue(refused.out().contains("ZooKeeper is untouched and the application stays on the target"), refused.out());
        assertEquals("4", new String(zk.getData("/api-archive/pri/storeType", false, null), StandardCharsets.UTF_8));
        assertEquals(1, zk.getChildren("/minio-migrator/cutovers/records", false).size());

        TestStores.Run rollback = stores.run("rollback", withBackup(arguments("migration.multipart.threshold=5MiB",
                "migration.multipart.part-size=5MiB"), cutover));
        assertEquals(0, rollback.exitCode(), rollback.all());
        assertTrue(rollback.out().contains("MinIO is level with the target: 20 object(s) written, 2 rewritten and 1 deleted"), rollback.out());
        assertEquals(onTarget, contents(stores.sourceClient, "archive-temp", ""), "MinIO holds, byte for byte, what the application left");
        assertEquals(onTarget, contents(stores.targetClient, "oss-temp", ""), "the target untouched");
        assertEquals("2", new String(zk.getData("/api-archive/pri/storeType", false, null), StandardCharsets.UTF_8));
        assertEquals(List.of(), zk.getChildren("/minio-migrator/cutovers/records", false));
    }

    @Test
    void forceRollsBackWithoutMinioAndListsWhatStaysOnTheTarget() throws Exception {
        assertEquals(0, stores.run("copy", arguments()).exitCode());
        TestStores.Run cutover = stores.run("cutover", arguments());
        put(stores.targetClient, "oss-temp", "scan/after.tif", "after".getBytes(StandardCharsets.UTF_8));
        // MinIO answers but refuses every write (a read-only key): the pass runs, the verify names what is not on MinIO
        List<String> readOnly = arguments("migration.fallback.access-key=" + stores.source.accessKey(),
                "migration.fallback.secret-key=wrong-secret-0000", "migration.retries=0");
        TestStores.Run refused = stores.run("rollback", withBackup(readOnly, cutover));
        assertEquals(1, refused.exitCode(), refused.all());
        assertFalse(refused.all().contains("wrong-secret-0000"), "no secret in the output");
        List<String> forced = new ArrayList<>(withBackup(readOnly, cutover));
        forced.add("--force");
        TestStores.Run rollback = stores.run("rollback", forced);
        assertEquals(0, rollback.exitCode(), rollback.all());
        assertTrue(rollback.out().contains("--force: rolling back although MinIO is not level with the target"), rollback.out());
        assertTrue(rollback.out().contains("Rollback done with --force"), rollback.out());
        assertEquals("2", new String(zk.getData("/api-archive/pri/storeType", false, null), StandardCharsets.UTF_8));
    }

    @Test
    void retiringEndsTheFallbackWindowAndKeepsForwardSyncsRefused() throws Exception {
        assertEquals(0, stores.run("copy", arguments()).exitCode());
        assertEquals(0, stores.run("cutover", arguments()).exitCode());
        put(stores.targetClient, "oss-temp", "scan/after.tif", "after".getBytes(StandardCharsets.UTF_8));
        TestStores.Run retire = stores.run("retire", arguments());
        assertEquals(0, retire.exitCode(), retire.all());
        assertTrue(retire.out().contains("MinIO is retired (") && retire.out().contains("the record of what MinIO held at retirement: "),
                retire.out());
        assertEquals(contents(stores.targetClient, "oss-temp", ""), contents(stores.sourceClient, "archive-temp", ""), "the last pass ran");
        TestStores.Run run = stores.run("run", arguments());
        assertEquals(0, run.exitCode(), run.all());
        assertTrue(run.out().contains("MinIO was retired at"), run.out());
        assertRefused(stores.run("copy", arguments()), "copy");
    }

    /** Waits until a running `run` printed the text; on failure says what it printed and how it ended. */
    static void awaitOutput(EventsIT.Running run, String text) {
        try {
            Wait.until("the run printed '" + text + "'", WAIT, () -> run.output().contains(text) || run.result.isDone());
        } finally {
            if (!run.output().contains(text)) {
                throw new AssertionError("the run did not print '" + text + "'" + (run.result.isDone() ? " (it ended: "
                        + EventsIT.Running.ending(run.result) + ")" : "") + ":\n" + run.output());
            }
        }
    }

    @Test
    void aFallbackPassOverAnOutOfOrderTargetListingStopsBeforeAnyDelete() throws Exception {
        assertEquals(0, stores.run("copy", arguments()).exitCode());
        assertEquals(0, stores.run("cutover", arguments()).exitCode());
        stores.targetClient.deleteObject(b -> b.bucket("oss-temp").key("scan/4.tif")); // MinIO's copy of it would be deleted
        java.util.regex.Pattern contents = java.util.regex.Pattern.compile("<Contents>.*?</Contents>", java.util.regex.Pattern.DOTALL);
        java.util.concurrent.atomic.AtomicInteger swapped = new java.util.concurrent.atomic.AtomicInteger();
        try (io.github.miniomigrator.support.FaultyProxy oss = io.github.miniomigrator.support.FaultyProxy.seeing(
                RemoveIT.portOf(stores.target.endpoint()), r -> io.github.miniomigrator.support.FaultyProxy.Fault.PASS)) {
            oss.rewriteResponses(answer -> {
                java.util.regex.Matcher m = contents.matcher(answer);
                if (!answer.contains("<ListBucketResult") || !m.find()) {
                    return answer;
                }
                int firstStart = m.start();
                String first = m.group();
                if (!m.find() || m.start() != firstStart + first.length()) {
                    return answer;
                }
                swapped.incrementAndGet(); // the store's listing with its first two keys the wrong way round
                return answer.substring(0, firstStart) + m.group() + first + answer.substring(m.end());
            });
            TestStores.Run fallback = stores.run("fallback", arguments("migration.target.endpoint=" + oss.endpoint()));
            assertEquals(1, fallback.exitCode(), fallback.all());
            assertTrue(swapped.get() > 0, "the listing was reordered");
            assertTrue(fallback.all().contains("is out of order: ") && fallback.all().contains("the pass stopped without deleting anything"),
                    fallback.all());
        }
        assertTrue(TestStores.keys(stores.sourceClient, "archive-temp").contains("scan/4.tif"), "nothing deleted from MinIO");
    }

    @Test
    void twoInstancesOfAClusterShareTheFallbackWindowUnderALeaderOfTheirOwn() throws Exception {
        assertEquals(0, stores.run("copy", arguments()).exitCode());
        assertEquals(0, stores.run("cutover", arguments()).exitCode());
        aWeekOnTheTarget();
        Map<String, String> onTarget = contents(stores.targetClient, "oss-temp", "");
        List<String> cluster = List.of("migration.cluster.zookeeper=" + zkServer.getConnectString() + "/apps", "migration.cluster.name=after",
                "migration.cluster.session-timeout=3s", "migration.fallback.interval=1s", "migration.multipart.threshold=5MiB",
                "migration.multipart.part-size=5MiB");
        List<String> one = new ArrayList<>(arguments("migration.state.dir=" + stores.work().resolve("one")));
        one.addAll(cluster);
        List<String> two = new ArrayList<>(arguments("migration.state.dir=" + stores.work().resolve("two")));
        two.addAll(cluster);
        try (EventsIT.Running first = EventsIT.Running.starting(stores, one); EventsIT.Running second = EventsIT.Running.starting(stores, two)) {
            Wait.until("MinIO holds what the target holds", WAIT, () -> {
                try {
                    return contents(stores.sourceClient, "archive-temp", "").equals(onTarget);
                } catch (Exception e) {
                    return false;
                }
            });
            awaitOutput(first, "this run keeps MinIO level with it, a fallback pass every 1s");
            awaitOutput(second, "this run keeps MinIO level with it, a fallback pass every 1s");
            // the fallback passes were published as shared passes of the fallback window's own election
            assertTrue(zk.getChildren("/apps/minio-migrator/passes/after-fallback", false).size() >= 1);
            assertEquals(onTarget, contents(stores.targetClient, "oss-temp", ""), "nothing went forward");
        }
    }

    /**
     * An object the forward copy sent up in parts has a multipart ETag on the target and its MD5 in md5chksum; MinIO's
     * original has a plain MD5 ETag. The fallback pass reads the target's recorded MD5 (one HEAD) and leaves MinIO's
     * object alone, so nothing is read back, nothing is counted as rewritten, and the forward verify after a rollback
     * still finds the two identical (found on Ceph RGW: bench/rgw-notes.md).
     */
    @Test
    void aFallbackPassLeavesAloneWhatTheForwardCopySentUpInParts() throws Exception {
        byte[] big = new byte[6 << 20];
        new java.util.Random(11).nextBytes(big);
        TestStores.put(stores.sourceClient, "archive-temp", "scan/big.tif", big);
        List<String> inParts = arguments("migration.multipart.threshold=5MiB", "migration.multipart.part-size=5MiB");
        assertEquals(0, stores.run("copy", inParts).exitCode());
        assertTrue(TestStores.head(stores.targetClient, "oss-temp", "scan/big.tif").eTag().contains("-"), "sent up in parts");
        TestStores.Run cutover = stores.run("cutover", inParts);
        assertEquals(0, cutover.exitCode(), cutover.all());
        String minioEtag = TestStores.head(stores.sourceClient, "archive-temp", "scan/big.tif").eTag();

        TestStores.Run fallback = stores.run("fallback", inParts);
        assertEquals(0, fallback.exitCode(), fallback.all());
        assertTrue(fallback.out().contains("MinIO is level with the target: 0 object(s) written, 0 rewritten and 0 deleted"), fallback.out());
        assertEquals(minioEtag, TestStores.head(stores.sourceClient, "archive-temp", "scan/big.tif").eTag(), "MinIO's object untouched");
        assertEquals(0, stores.run("rollback", withBackup(inParts, cutover)).exitCode());
        TestStores.Run verify = stores.run("verify", inParts);
        assertEquals(0, verify.exitCode(), verify.all());
    }

    List<String> withBackup(List<String> arguments, TestStores.Run cutover) {
        List<String> args = new ArrayList<>(List.of("--backup", CutoverIT.backupOf(cutover).toString()));
        args.addAll(arguments);
        return args;
    }

    static void assertRefused(TestStores.Run run, String command, String why) {
        assertEquals(2, run.exitCode(), run.all());
        assertTrue(run.err().contains("error: " + command + " refused: " + why), run.all());
    }
}
