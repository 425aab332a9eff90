package io.github.miniomigrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.miniomigrator.ClusterLeaderIT.Member;
import io.github.miniomigrator.cluster.PassBoard;
import io.github.miniomigrator.cluster.ShardDone;
import io.github.miniomigrator.support.FaultyProxy;
import io.github.miniomigrator.support.TestStores;
import io.github.miniomigrator.support.Wait;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.jclouds.blobstore.BlobStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Three `run` instances of one migration in this JVM share its passes on a real ZooKeeper (curator-test): the pass is
 * split into shards by directory, each instance runs batches of them, and the leader writes the one report. Each
 * instance writes to the target through its own proxy, which counts the PUTs per key (and can hold them, as a machine
 * that went silent does).
 */
@Tag("cluster")
class ShardedPassIT {
    static final Duration WAIT = Duration.ofSeconds(90);
    static final int DIRECTORIES = 24;

    /** In front of the target for one instance: counts object PUTs per key into a map shared by all, holds them while closed. */
    static final class TargetDoor implements Function<FaultyProxy.Request, FaultyProxy.Fault> {
        final Map<String, AtomicInteger> puts;
        final AtomicInteger held = new AtomicInteger();
        private final CountDownLatch opened = new CountDownLatch(1);
        private volatile boolean closed;
        final FaultyProxy proxy;

        TargetDoor(TestStores stores, Map<String, AtomicInteger> puts, boolean closed) throws Exception {
            this.puts = puts;
            this.closed = closed;
            this.proxy = FaultyProxy.seeing(RemoveIT.portOf(stores.target.endpoint()), this);
        }

        @Override
        public FaultyProxy.Fault apply(FaultyProxy.Request request) {
            String path = request.path();
            if (!request.method().equals("PUT") || !path.startsWith("/dst/") || path.contains("uploadId=")) {
                return FaultyProxy.Fault.PASS;
            }
            String key = URLDecoder.decode(path.substring("/dst/".length()).replaceAll("\\?.*", ""), StandardCharsets.UTF_8);
            if (key.startsWith(".minio-migrator-canary-")) {
                return FaultyProxy.Fault.PASS; // each instance's proof of the write path at start
            }
            puts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            if (closed) {
                held.incrementAndGet();
                try {
                    opened.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return FaultyProxy.Fault.PASS;
        }

        void open() {
            closed = false;
            opened.countDown();
        }

        List<String> settings() {
            return List.of("migration.target.endpoint=" + proxy.endpoint());
        }
    }

    static Map<String, byte[]> objects(int perDirectory) {
        Map<String, byte[]> objects = new TreeMap<>();
        for (int d = 0; d < DIRECTORIES; d++) {
            for (int i = 0; i < perDirectory; i++) {
                String key = String.format("d%02d/scan-%05d.pdf", d, i);
                objects.put(key, (key + " page").getBytes(StandardCharsets.UTF_8));
            }
        }
        return objects;
    }

    /** Straight into the source server's store: as S3 PUTs they would take longer than the pass. */
    static void putInSource(TestStores stores, Map<String, byte[]> objects) {
        BlobStore store = stores.source.blobStore();
        objects.forEach((key, body) -> store.putBlob("src", store.blobBuilder(key).payload(body).contentLength(body.length).build()));
    }

    static CuratorFramework zooKeeperClient(TestingServer zooKeeper) throws Exception {
        CuratorFramework client = CuratorFrameworkFactory.builder().connectString(zooKeeper.getConnectString())
                .namespace("apps/archive/minio-migrator").retryPolicy(new RetryOneTime(100)).build();
        client.start();
        client.blockUntilConnected();
        return client;
    }

    static JsonNode onlyReport(Member leader) throws Exception {
        try (Stream<Path> files = Files.list(leader.reports)) {
            List<Path> reports = files.filter(f -> f.getFileName().toString().endsWith(".json")).toList();
            assertEquals(1, reports.size(), "one report per pass: " + reports);
            return new ObjectMapper().readTree(reports.get(0).toFile()).get("mappings").get(0);
        }
    }

    /** Before the servers close (so that no instance waits out a ZooKeeper timeout on its way out): doors opened, instances stopped. */
    static void stopAll(List<Member> members, List<TargetDoor> doors) throws Exception {
        for (TargetDoor door : doors) {
            door.open();
        }
        for (Member member : members) {
            member.close();
        }
        for (TargetDoor door : doors) {
            door.proxy.close();
        }
    }

    static String get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    static boolean holds(String memberId, Member member) {
        return memberId.contains(":" + member.port + "#");
    }

    static List<Member> start(TestStores stores, TestingServer zooKeeper, List<TargetDoor> doors) throws Exception {
        List<Member> members = new ArrayList<>();
        List<String> names = List.of("one", "two", "three");
        for (int i = 0; i < doors.size(); i++) {
            List<String> more = new ArrayList<>(doors.get(i).settings());
            more.add("migration.reconcile.interval=off");
            Member member = new Member(names.get(i), stores, zooKeeper.getPort(), more);
            members.add(member);
            // one after another: Camel contexts of one name starting at once in one JVM can clash on their JMX name
            Wait.until(member.name + " joined", WAIT, member::joined);
        }
        return members;
    }

    /**
     * One ZooKeeper, a source and a target server with their buckets, a client reading the books, and the PUTs counted per
     * key by the doors of the instances the test starts; closed in the order that lets no instance wait out a timeout.
     */
    static final class Cluster implements AutoCloseable {
        final TestingServer zooKeeper;
        final TestStores stores;
        final CuratorFramework books;
        final Map<String, AtomicInteger> puts = new ConcurrentHashMap<>();
        final List<Member> members = new ArrayList<>();
        final List<TargetDoor> doors = new ArrayList<>();

        Cluster() throws Exception {
            zooKeeper = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, ClusterLeaderIT.TICK_MILLIS, -1), true);
            stores = new TestStores(false);
            books = zooKeeperClient(zooKeeper);
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
        }

        /** Three instances, each behind its own door (shut until opened, when held); the leader once one is elected. */
        Member startThree(boolean held) throws Exception {
            for (int i = 0; i < 3; i++) {
                doors.add(new TargetDoor(stores, puts, held));
            }
            members.addAll(start(stores, zooKeeper, doors));
            return ClusterLeaderIT.awaitLeader(members);
        }

        /** The name of the pass the leader published, once it has. */
        String publishedPass(PassBoard board) throws Exception {
            Wait.until("the pass is published", WAIT, () -> {
                try {
                    return !board.open().isEmpty();
                } catch (Exception e) {
                    return false;
                }
            });
            return board.open().get(0);
        }

        @Override
        public void close() throws Exception {
            try {
                stopAll(members, doors);
            } finally {
                books.close();
                stores.close();
                zooKeeper.close();
            }
        }
    }

    @Test
    void threeInstancesShareThePassAndCopyEachKeyOnce() throws Exception {
        int perDirectory = Integer.getInteger("shardedPass.perDirectory", 100);
        int count = perDirectory * DIRECTORIES;
        try (Cluster cluster = new Cluster()) {
            long putStart = System.nanoTime();
            putInSource(cluster.stores, objects(perDirectory));
            System.out.printf("ShardedPassIT: %d source objects put in %d ms%n", count, (System.nanoTime() - putStart) / 1_000_000);
            long started = System.nanoTime();
            Member leader = cluster.startThree(false);
            Wait.until("the leader wrote the full pass's report", WAIT, () -> {
                try {
                    return leader.reportsWritten() == 1;
                } catch (Exception e) {
                    return false;
                }
            });
            System.out.printf("ShardedPassIT: %d objects copied by three instances in %d ms%n", count, (System.nanoTime() - started) / 1_000_000);

            JsonNode report = onlyReport(leader);
            assertEquals("ok", report.get("result").asText(), report.toString());
            assertEquals(count, report.get("sourceObjects").asLong(), "the report adds up every batch once");
            assertEquals(count, report.get("copiedObjects").asLong());
            PassBoard board = new PassBoard(cluster.books, "it-archive");
            String pass = board.passes().get(0);
            int shards = board.shardCount(pass);
            // one shard per directory, and one for the keys at the top when an instance's canary was there at planning
            assertTrue(shards == DIRECTORIES || shards == DIRECTORIES + 1, shards + " shards");
            assertEquals(shards, report.get("listedRanges").asInt());
            assertEquals(TestStores.listed(cluster.stores.sourceClient, "src", ""), TestStores.listed(cluster.stores.targetClient, "dst", ""));
            assertEquals(count, cluster.puts.size(), "every key was written");
            Map<String, Integer> twice = new TreeMap<>();
            cluster.puts.forEach((key, n) -> {
                if (n.get() != 1) {
                    twice.put(key, n.get());
                }
            });
            assertEquals(Map.of(), twice, "no key written twice");

            assertTrue(board.finished(pass));
            Set<String> ran = new HashSet<>();
            board.done(pass).values().forEach(done -> ran.add(done.member()));
            Set<String> tallied = new HashSet<>();
            board.tallies(pass).forEach(t -> tallied.addAll(t.shards()));
            assertEquals(shards, tallied.size(), "a tally for every shard");
            assertTrue(ran.size() >= 2, "at least two instances ran shards: " + ran);
            for (Member member : cluster.members) {
                assertEquals(member == leader ? 1 : 0, member.reportsWritten(), member.name + ": only the leader writes the report");
                assertFalse(member.output().contains(TestStores.SOURCE_SECRET) || member.output().contains(TestStores.TARGET_SECRET));
            }
        }
    }

    @Test
    void theShardsOfAnInstanceCutOffMidPassAreRunByTheOthers() throws Exception {
        int perDirectory = 40;
        try (Cluster cluster = new Cluster()) {
            putInSource(cluster.stores, objects(perDirectory));
            Member leader = cluster.startThree(true); // every first batch is held mid-way
            PassBoard board = new PassBoard(cluster.books, "it-archive");
            String pass = cluster.publishedPass(board);

            // a follower in the middle of a batch: shards claimed, a PUT under way
            Map<String, String> claims = new TreeMap<>();
            Member[] victim = new Member[1];
            Wait.until("a follower is in the middle of a batch", WAIT, () -> {
                try {
                    claims.clear();
                    for (String shard : board.claimed(pass)) {
                        claims.put(shard, new String(cluster.books.getData().forPath("/passes/it-archive/" + pass + "/claims/" + shard),
                                StandardCharsets.UTF_8));
                    }
                } catch (Exception e) {
                    return false; // a claim given up while read
                }
                for (int i = 0; i < cluster.members.size(); i++) {
                    Member member = cluster.members.get(i);
                    if (member != leader && cluster.doors.get(i).held.get() > 0 && claims.values().stream().anyMatch(id -> holds(id, member))) {
                        victim[0] = member;
                        return true;
                    }
                }
                return false;
            });
            Member cut = victim[0];
            TargetDoor cutDoor = cluster.doors.get(cluster.members.indexOf(cut));
            Set<String> cutShards = new HashSet<>();
            claims.forEach((shard, id) -> {
                if (holds(id, cut)) {
                    cutShards.add(shard);
                }
            });
            // health and metrics say which shards it runs now
            String health = get(cut.port, "/observe/health?data=true").replace("\\/", "/");
            for (String shard : cutShards) {
                assertTrue(health.contains(pass + "/" + shard), health);
            }
            String metrics = get(cut.port, "/observe/metrics");
            assertTrue(metrics.lines().anyMatch(line -> line.matches("migration_cluster_shards_held(\\{[^}]*})? " + cutShards.size() + "\\.0")),
                    metrics.lines().filter(line -> line.startsWith("migration_cluster")).toList().toString());
            assertTrue(metrics.lines().anyMatch(line -> line.startsWith("migration_cluster_shard_held{") && line.contains("pass=\"" + pass + "\"")),
                    metrics.lines().filter(line -> line.startsWith("migration_cluster")).toList().toString());

            // cut off from ZooKeeper (as a kill -9 looks to it), its PUTs still held: the others go on
            cut.relay.cut();
            for (TargetDoor door : cluster.doors) {
                if (door != cutDoor) {
                    door.open();
                }
            }
            Wait.until("the leader wrote the pass's report", WAIT, () -> {
                try {
                    return leader.reportsWritten() == 1;
                } catch (Exception e) {
                    return false;
                }
            });
            cutDoor.open(); // its copies under way land late, with the same bytes

            long doneHere = 0;
            for (Member member : cluster.members) {
                if (member != cut) {
                    String text = get(member.port, "/observe/metrics");
                    doneHere += text.lines().filter(line -> line.startsWith("migration_cluster_shards_done_total"))
                            .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
                }
            }
            assertEquals(board.shardCount(pass), doneHere, "the survivors' metrics count every shard done");
            Map<String, ShardDone> done = board.done(pass);
            assertEquals(board.shardCount(pass), done.size());
            for (String shard : cutShards) {
                assertFalse(holds(done.get(shard).member(), cut), shard + " was run again by another instance: " + done.get(shard));
            }
            JsonNode report = onlyReport(leader);
            assertEquals("ok", report.get("result").asText(), report.toString());
            assertEquals(perDirectory * DIRECTORIES, report.get("sourceObjects").asLong());
            assertTrue(board.finished(pass));
            assertTrue(cluster.stores.converged("src", "dst"), "the target equals the source, byte for byte");
        }
    }

    @Test
    void aNewLeaderAdoptsThePassTheLastOneLeftOpenAndKeepsItsDoneShards() throws Exception {
        int perDirectory = 40;
        try (Cluster cluster = new Cluster()) {
            putInSource(cluster.stores, objects(perDirectory));
            Member leader = cluster.startThree(true);
            TargetDoor leaderDoor = cluster.doors.get(cluster.members.indexOf(leader));
            cluster.doors.stream().filter(door -> door != leaderDoor).forEach(TargetDoor::open);
            PassBoard board = new PassBoard(cluster.books, "it-archive");
            String pass = cluster.publishedPass(board);

            // the leader in the middle of a batch, every other shard done by the followers
            Set<String> leaderShards = new HashSet<>();
            Wait.until("the followers ran every shard but the leader's", WAIT, () -> {
                try {
                    leaderShards.clear();
                    for (String shard : board.claimed(pass)) {
                        if (holds(new String(cluster.books.getData().forPath("/passes/it-archive/" + pass + "/claims/" + shard), StandardCharsets.UTF_8),
                                leader)) {
                            leaderShards.add(shard);
                        }
                    }
                    return leaderDoor.held.get() > 0 && !leaderShards.isEmpty()
                            && board.doneNames(pass).size() == board.shardCount(pass) - leaderShards.size();
                } catch (Exception e) {
                    return false;
                }
            });
            Map<String, ShardDone> doneBefore = board.done(pass);

            // the leader is cut off: the next one adopts the open pass instead of planning a new one
            leader.relay.cut();
            Member next = ClusterLeaderIT.awaitLeader(cluster.members, leader);
            Wait.until("the new leader wrote the pass's report", WAIT, () -> {
                try {
                    return next.reportsWritten() == 1;
                } catch (Exception e) {
                    return false;
                }
            });
            leaderDoor.open();
            assertEquals(List.of(pass), board.passes(), "no second pass: the open one was adopted");
            assertTrue(board.finished(pass));
            Map<String, ShardDone> done = board.done(pass);
            doneBefore.forEach((shard, before) -> assertEquals(before, done.get(shard), shard + " stayed done as it was"));
            for (String shard : leaderShards) {
                assertFalse(holds(done.get(shard).member(), leader), shard + " was run again by another instance: " + done.get(shard));
            }
            JsonNode report = onlyReport(next);
            assertEquals("ok", report.get("result").asText(), report.toString());
            assertEquals(perDirectory * DIRECTORIES, report.get("sourceObjects").asLong(), "every shard counted once");
            assertEquals(0, leader.reportsWritten(), "the cut-off leader wrote no report");
            assertTrue(cluster.stores.converged("src", "dst"), "the target equals the source, byte for byte");
        }
    }

    /** The leader's newest report (its first mapping), or null before the first. */
    static JsonNode newestReport(Member leader) {
        try (Stream<Path> files = Files.list(leader.reports)) {
            Path newest = files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().reduce((a, b) -> b).orElse(null);
            return newest == null ? null : new ObjectMapper().readTree(newest.toFile()).get("mappings").get(0);
        } catch (Exception e) {
            return null; // no folder yet, or a report being written
        }
    }

    static JsonNode awaitReport(Member leader, String what, Predicate<JsonNode> wanted) {
        JsonNode[] found = new JsonNode[1];
        Wait.until(what, WAIT, () -> {
            found[0] = newestReport(leader);
            return found[0] != null && wanted.test(found[0]);
        });
        return found[0];
    }

    static Set<String> extrasInTarget(TestStores stores) {
        Set<String> extras = new HashSet<>();
        TestStores.keys(stores.targetClient, "dst").stream().filter(k -> k.contains("/extra-")).forEach(extras::add);
        return extras;
    }

    @Test
    void extrasAreDeletedOnlyOnceEveryShardRanCleanlyAndWithinMaxDeleteOverAllShards() throws Exception {
        List<Member> members = new ArrayList<>();
        InstanceSpec spec = new InstanceSpec(null, -1, -1, -1, true, -1, ClusterLeaderIT.TICK_MILLIS, -1);
        AtomicBoolean brokenFails = new AtomicBoolean(true);
        try (TestingServer zooKeeper = new TestingServer(spec, true); TestStores stores = new TestStores(false);
                FaultyProxy source = FaultyProxy.seeing(RemoveIT.portOf(stores.source.endpoint()),
                        r -> brokenFails.get() && r.method().equals("GET") && r.path().startsWith("/src/d05/broken")
                                ? FaultyProxy.Fault.FORBIDDEN : FaultyProxy.Fault.PASS);
                AutoCloseable stop = () -> stopAll(members, List.of())) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            putInSource(stores, objects(10));
            // one extra target key in every directory: each shard finds one, fewer than max-delete; all of them, more
            for (int d = 0; d < DIRECTORIES; d++) {
                TestStores.put(stores.targetClient, "dst", String.format("d%02d/extra-1", d), "gone from the source".getBytes(StandardCharsets.UTF_8));
            }
            for (String name : List.of("one", "two")) {
                Member member = new Member(name, stores, zooKeeper.getPort(), List.of("migration.source.endpoint=" + source.endpoint(),
                        "migration.max-delete=20", "migration.reconcile.interval=1s"));
                members.add(member);
                Wait.until(name + " joined", WAIT, member::joined);
            }
            Member leader = ClusterLeaderIT.awaitLeader(members);

            JsonNode first = awaitReport(leader, "the full pass's report", r -> true);
            assertEquals(24, first.get("extraObjects").asInt(), first.toString());
            assertEquals(0, first.get("deletedObjects").asInt());
            assertTrue(first.get("passError").asText().contains("migration.max-delete=20"), first.get("passError").asText());
            assertEquals(24, extrasInTarget(stores).size(), "nothing deleted: 24 extras over all shards, more than migration.max-delete");

            // a source object that cannot be read: its shard fails, so no shard's extras are deleted
            putInSource(stores, Map.of("d05/broken", "unreadable".getBytes(StandardCharsets.UTF_8)));
            awaitReport(leader, "a pass failed on the unreadable object", r -> r.get("failedObjects").asInt() >= 1);
            for (int d = 0; d < 12; d++) {
                int dir = d;
                stores.targetClient.deleteObject(b -> b.bucket("dst").key(String.format("d%02d/extra-1", dir)));
            }
            JsonNode failed = awaitReport(leader, "a pass with errors found 12 extras",
                    r -> r.get("extraObjects").asInt() == 12 && r.get("failedObjects").asInt() >= 1);
            assertEquals(0, failed.get("deletedObjects").asInt(), failed.toString());
            assertTrue(failed.get("notes").toString().contains("were not deleted"), failed.get("notes").toString());
            assertTrue(failed.get("notes").toString().contains("shards had errors"), failed.get("notes").toString());
            assertEquals(12, extrasInTarget(stores).size(), "nothing deleted after a shard failed");

            // readable again: every shard clean, 12 extras within max-delete: deleted
            brokenFails.set(false);
            JsonNode clean = awaitReport(leader, "a clean pass deleted the extras", r -> r.get("deletedObjects").asInt() > 0);
            assertEquals(12, clean.get("deletedObjects").asInt(), clean.toString());
            assertEquals("ok", clean.get("result").asText(), clean.toString());
            assertEquals(Set.of(), extrasInTarget(stores));
            assertEquals(TestStores.listed(stores.sourceClient, "src", ""), TestStores.listed(stores.targetClient, "dst", ""));
        }
    }
}
