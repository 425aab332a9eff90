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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * After the switch the target is the truth (invariant 10): once a cutover applied, the runbook's own commands — copy with
 * migration.remove=true, a restarted run, a run left running, a second cutover — refuse to sync forward, and what the
 * application wrote, rewrote and deleted on the target stays as it left it (judged by the stored bytes). A rollback
 * clears the record.
 */
class AfterTheSwitchIT {
    static final Duration WAIT = Duration.ofSeconds(90);
    TestingServer zkServer;
    ZooKeeper zk;
    TestStores stores;

    @BeforeEach
    void start() throws Exception {
        zkServer = new TestingServer(true);
        CountDownLatch connected = new CountDownLatch(1);
        zk = new ZooKeeper(zkServer.getConnectString(), 15_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        assertTrue(connected.await(15, TimeUnit.SECONDS));
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
        assertRefused(stores.run("run", arguments()), "run");
        assertRefused(stores.run("cutover", arguments()), "Cutover");
        // another machine (its own state folder) reads the record in ZooKeeper
        assertRefused(stores.run("copy", arguments("migration.state.dir=" + stores.work().resolve("elsewhere"))), "copy");
        // and this machine's record stands where ZooKeeper is not configured
        List<String> withoutZooKeeper = new ArrayList<>(arguments());
        withoutZooKeeper.removeIf(a -> a.startsWith("migration.cutover.zookeeper="));
        assertRefused(stores.run("copy", withoutZooKeeper), "copy");
        assertEquals(written, contents(stores.targetClient, "oss-temp", ""), "the target is as the application left it");
        assertEquals("4", new String(zk.getData("/api-archive/pri/storeType", false, null), StandardCharsets.UTF_8));

        TestStores.Run rollback = stores.run("rollback", List.of("--backup", CutoverIT.backupOf(cutover).toString(),
                "migration.state.dir=" + stores.work().resolve("state")));
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
            Wait.until("the run left running stopped", WAIT, run.result::isDone);
            assertEquals(written, contents(stores.targetClient, "oss-temp", ""), "its reconcile passes deleted nothing the application wrote");
            assertTrue(run.output().contains("The forward sync refused: the application writes to the target since the cutover at"),
                    run.output());
            assertTrue(run.output().contains("The forward sync has ended for good"), run.output());
        }
    }

    @Test
    void aCutoverInsideRunEndsItsForwardSyncAndARestartedRunRefuses() throws Exception {
        try (EventsIT.Running run = new EventsIT.Running(stores, arguments())) {
            run.command.cutover().execute();
            assertEquals(0, run.command.cutover().lastResult(), run.output());
            Wait.until("the run stopped after its cutover", WAIT, run.result::isDone);
            assertTrue(run.output().contains("The forward sync has ended for good"), run.output());
        }
        Map<String, String> written = applicationWrites();
        assertRefused(stores.run("run", arguments()), "run");
        assertEquals(written, contents(stores.targetClient, "oss-temp", ""));
    }
}
