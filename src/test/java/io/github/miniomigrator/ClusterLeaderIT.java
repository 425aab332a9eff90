package io.github.miniomigrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.command.RunCommand;
import io.github.miniomigrator.config.Setting;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.config.SettingsLoader;
import io.github.miniomigrator.demo.FreePort;
import io.github.miniomigrator.support.CuttableRelay;
import io.github.miniomigrator.support.TestStores;
import io.github.miniomigrator.support.Wait;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Three `run` instances of one migration in this JVM, electing their leader on a real ZooKeeper (curator-test), copying
 * between real S3 servers: one leads and alone runs the passes; cut off (as a kill -9 looks to ZooKeeper) or stopped,
 * another takes over and runs the pass again; a cut-off instance stands again once it is back.
 */
@Tag("cluster")
class ClusterLeaderIT {
    static final Duration WAIT = Duration.ofSeconds(30);
    /** ZooKeeper grants sessions of 2 to 20 ticks: a 500 ms tick lets the test ask for 3 s. */
    static final int TICK_MILLIS = 500;
    static final Duration SESSION = Duration.ofSeconds(3);
    final HttpClient http = HttpClient.newHttpClient();

    /** One instance: its own HTTP port, report and state folders, and its own way to ZooKeeper (a relay the test can cut). */
    static final class Member implements AutoCloseable {
        final String name;
        final CuttableRelay relay;
        final int port = FreePort.next();
        final Path reports;
        final RunCommand command;
        final Future<Integer> result;
        final ExecutorService thread = Executors.newSingleThreadExecutor();
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Member(String name, TestStores stores, int zooKeeperPort) throws Exception {
            this(name, stores, zooKeeperPort, List.of());
        }

        /** @param more settings beside (and over) the usual ones: key=value, later winning */
        Member(String name, TestStores stores, int zooKeeperPort, List<String> more) throws Exception {
            this.name = name;
            this.relay = new CuttableRelay(zooKeeperPort);
            this.reports = stores.work().resolve("reports-" + name);
            Path config = stores.work().resolve("empty.properties");
            Files.writeString(config, "");
            List<String> args = stores.arguments("src:dst", "migration.events.mode=off", "migration.remove=true",
                    "migration.cluster.zookeeper=" + relay.connectString() + "/apps/archive", "migration.cluster.name=it-archive",
                    "migration.cluster.session-timeout=" + SESSION.toSeconds() + "s", "migration.reconcile.interval=2s",
                    "migration.http.port=" + port, "migration.report.dir=" + reports,
                    "migration.state.dir=" + stores.work().resolve("state-" + name));
            args.addAll(more);
            Settings settings = SettingsLoader.load(config, stores.environment(), args);
            command = new RunCommand(settings, new PrintStream(out, true, StandardCharsets.UTF_8));
            result = thread.submit(command::execute);
        }

        String output() {
            return out.toString(StandardCharsets.UTF_8);
        }

        boolean joined() {
            if (result.isDone()) {
                throw new AssertionError(name + " ended early (" + EventsIT.Running.ending(result) + "): " + output());
            }
            return output().contains("Capturing events");
        }

        long reportsWritten() throws Exception {
            if (!Files.isDirectory(reports)) {
                return 0;
            }
            try (Stream<Path> files = Files.list(reports)) {
                return files.filter(f -> f.getFileName().toString().endsWith(".json")).count();
            }
        }

        void stop() throws Exception {
            command.stop();
            result.get(60, TimeUnit.SECONDS);
            thread.shutdown();
        }

        @Override
        public void close() throws Exception {
            if (!result.isDone()) {
                stop();
            }
            relay.close();
        }
    }

    static void putObjects(TestStores stores, String prefix, int count) throws Exception {
        java.util.Map<String, byte[]> objects = new java.util.TreeMap<>();
        for (int i = 0; i < count; i++) {
            objects.put(prefix + "file-" + i + ".pdf", (prefix + i + " scanned page").getBytes(StandardCharsets.UTF_8));
        }
        TestStores.putAll(stores.sourceClient, "src", objects);
    }

    static boolean sameListing(TestStores stores) {
        return TestStores.listed(stores.sourceClient, "src", "").equals(TestStores.listed(stores.targetClient, "dst", ""));
    }

    /** The one instance leading, once exactly one does and it is none of the excluded. */
    static Member awaitLeader(List<Member> members, Member... excluded) {
        List<Member> candidates = new ArrayList<>(members);
        candidates.removeAll(List.of(excluded));
        Wait.until("exactly one instance leads", WAIT,
                () -> members.stream().filter(m -> m.command.leads()).count() == 1 && candidates.stream().anyMatch(m -> m.command.leads()));
        return candidates.stream().filter(m -> m.command.leads()).findFirst().orElseThrow();
    }

    String get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    boolean metric(int port, String name, String value) throws Exception {
        return get(port, "/observe/metrics").lines().anyMatch(line -> line.matches(name + "(\\{[^}]*})? " + value));
    }

    @Test
    void oneLeaderRunsThePassesAndAnotherTakesOverWhenItGoes() throws Exception {
        InstanceSpec spec = new InstanceSpec(null, -1, -1, -1, true, -1, TICK_MILLIS, -1);
        List<Member> members = new ArrayList<>();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger mostLeaders = new AtomicInteger();
        try (TestingServer zooKeeper = new TestingServer(spec, true); TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            putObjects(stores, "scan/", 150);
            for (String name : List.of("one", "two", "three")) {
                members.add(new Member(name, stores, zooKeeper.getPort()));
            }
            sampler.scheduleAtFixedRate(() -> mostLeaders.accumulateAndGet((int) members.stream().filter(m -> m.command.leads()).count(),
                    Math::max), 0, 20, TimeUnit.MILLISECONDS);
            Wait.until("all three joined", WAIT, () -> members.stream().allMatch(Member::joined));

            // one leads and alone runs the passes: the full pass, then a reconcile pass every 2 s, each with its report
            Member first = awaitLeader(members);
            Wait.until("the leader's full pass copied every object", WAIT, () -> sameListing(stores));
            // the fourth started: the first three (the full pass, two reconcile passes) are over and reported
            Wait.until("the leader ran two reconcile passes", WAIT, () -> first.command.passesRun() >= 4);
            for (Member member : members) {
                if (member != first) {
                    assertEquals(0, member.command.passesRun(), member.name + " follows and runs no pass");
                    assertEquals(0, member.reportsWritten(), member.name + " follows and writes no report");
                    assertTrue(member.output().contains("This instance is a follower in migration 'it-archive'"), member.output());
                    assertTrue(metric(member.port, "migration_cluster_leader", "0.0"));
                }
            }
            assertTrue(first.reportsWritten() >= 3, "the leader writes a report per pass");
            assertTrue(metric(first.port, "migration_cluster_leader", "1.0"));
            assertTrue(metric(first.port, "migration_cluster_members", "3.0"));
            String health = get(first.port, "/observe/health?data=true");
            assertTrue(health.contains("migration-cluster") && health.contains("it-archive"), health);

            // the leader is cut off from ZooKeeper, as a kill -9 looks to it: another leads once its session has expired
            putObjects(stores, "late/", 40);
            long cutAt = System.nanoTime();
            first.relay.cut();
            Member second = awaitLeader(members, first);
            long failover = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cutAt);
            System.out.printf("ClusterLeaderIT: failover after the leader was cut off: %d ms (session timeout %d ms)%n", failover, SESSION.toMillis());
            assertFalse(first.command.leads(), "the cut-off instance no longer leads");
            int passesWhileCut = first.command.passesRun();
            // an instance's shard worker may copy them before the new leader's own pass has begun: wait for both
            Wait.until("the new leader ran the pass again", WAIT, () -> second.command.passesRun() >= 1);
            Wait.until("the new leader's pass copied what came meanwhile", WAIT, () -> sameListing(stores));
            // the configured session governs: well within the default one (15 s, five sessions here), however loaded the machine
            Duration defaultSession = new Settings(java.util.Map.of()).duration(Setting.CLUSTER_SESSION_TIMEOUT);
            assertTrue(failover < defaultSession.toMillis(), "failover took " + failover + " ms, the session is " + SESSION.toMillis() + " ms");

            // the new leader stops (SIGTERM): it leaves at once, the third leads without waiting for a timeout
            putObjects(stores, "later/", 20);
            Member third = members.stream().filter(m -> m != first && m != second).findFirst().orElseThrow();
            long stopAt = System.nanoTime();
            second.stop();
            awaitLeader(members, first, second);
            long handover = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopAt);
            System.out.printf("ClusterLeaderIT: handover after the leader stopped: %d ms%n", handover);
            Wait.until("the third leader's pass copied what came meanwhile", WAIT, () -> sameListing(stores));
            assertEquals(passesWhileCut, first.command.passesRun(), "the cut-off instance ran no pass");

            // the cut-off instance is back (a new session): it stands again, and leads when the third stops
            first.relay.heal();
            Wait.until("the first instance stands again beside the third", WAIT, () -> {
                try {
                    return metric(third.port, "migration_cluster_members", "2.0");
                } catch (Exception e) {
                    return false;
                }
            });
            putObjects(stores, "last/", 10);
            third.stop();
            Wait.until("the first instance leads again", WAIT, () -> first.command.leads());
            Wait.until("its pass copied what came meanwhile", WAIT, () -> sameListing(stores));
            assertTrue(stores.converged("src", "dst"), "the target equals the source, byte for byte");
            assertEquals(1, mostLeaders.get(), "never two leaders at once");
            for (Member member : members) {
                assertFalse(member.output().contains(TestStores.SOURCE_SECRET) || member.output().contains(TestStores.TARGET_SECRET));
            }
        } finally {
            sampler.shutdownNow();
            for (Member member : members) {
                member.close();
            }
        }
    }
}
