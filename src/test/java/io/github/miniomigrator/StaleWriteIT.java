package io.github.miniomigrator;

import static io.github.miniomigrator.support.TestStores.contents;
import static io.github.miniomigrator.support.TestStores.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.support.FaultyProxy;
import io.github.miniomigrator.support.HeldAnswers;
import io.github.miniomigrator.support.KafkaBroker;
import io.github.miniomigrator.support.MinioEvents;
import io.github.miniomigrator.support.TestStores;
import io.github.miniomigrator.support.Wait;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * No stale write across instances: two `run` instances in one Kafka consumer group (real KRaft broker, real S3
 * servers), each reaching the source through its own proxy. A full pass on one and a key's event on the other copy
 * the same key at once; the pass's older read lands last, and only the look after the write repairs it — for a pass's
 * writes the settling join (a second merge-join once its copies landed), for an event's write a HEAD.
 */
@Tag("cluster")
class StaleWriteIT {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String RACE = "race/";
    static final KafkaBroker broker = KafkaBroker.shared();

    /** The partition MinIO's Kafka target (the producer's default partitioner, keyed bucket/object) puts a key's events on. */
    static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(("src/" + key).getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /**
     * A proxy to the source that holds the answer to the first GET of each key under race/ (read, not yet delivered) until
     * released, and sees every HEAD.
     */
    static HeldAnswers heldReads(TestStores stores) throws Exception {
        return new HeldAnswers(stores.source.endpoint(), r -> r.method().equals("GET") && r.path().startsWith("/src/" + RACE), true, WAIT);
    }

    /** How the race ended: the raced key's source and target, the objects A's pass copied, and what A was seen doing. */
    record Ended(Map<String, String> source, Map<String, String> target, String raced, Set<String> copiedByA, List<String> headsOfA,
            double rewritesOfA, String outputOfA) {
    }

    /** Objects A's full pass copies with no race on them, beside the race keys. */
    static final int PLAIN = 20;

    /**
     * The race made deterministic, with the look after writes as set: B holds the key's partition; A's full pass reads
     * version 1 and its answer is held while the source moves to version 2 and B syncs version 2 from its event; then A's
     * write of version 1 lands last. A's pass also copies {@link #PLAIN} objects no one else writes.
     */
    Ended race(String recheck) throws Exception {
        String topic = "stale-race-" + recheck;
        String group = "group-race-" + recheck;
        int partitions = 2;
        broker.createTopic(topic, partitions);
        try (TestStores stores = new TestStores(false); HeldAnswers readsOfA = heldReads(stores)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            int portA = EventsIT.freePort();
            int portB = EventsIT.freePort();
            String setting = "migration.recheck-after-write=" + recheck;
            try (EventsIT.Running b = new EventsIT.Running(stores, KafkaEventsIT.kafka(stores, topic, group, portB, setting))) {
                Map<String, byte[]> first = new HashMap<>(); // a key on each partition: whichever B keeps, one of them is there
                for (int i = 0; first.size() < partitions; i++) {
                    String key = RACE + i + ".txt";
                    if (first.keySet().stream().noneMatch(k -> partitionOf(k, partitions) == partitionOf(key, partitions))) {
                        first.put(key, ("version 1 of " + key).getBytes());
                    }
                }
                Map<String, byte[]> plain = new HashMap<>();
                for (int i = 0; i < PLAIN; i++) {
                    plain.put(String.format("plain/%02d.txt", i), ("plain object " + i).getBytes());
                }
                TestStores.putAll(stores.sourceClient, "src", first); // no event: B's pass is over, A's will copy them
                TestStores.putAll(stores.sourceClient, "src", plain);
                try (EventsIT.Running a = EventsIT.Running.starting(stores, KafkaEventsIT.kafka(stores, topic, group, portA, setting,
                        "migration.source.endpoint=" + readsOfA.proxy.endpoint()))) {
                    Wait.until("A's full pass has read every race key and waits", WAIT, () -> readsOfA.held.size() == first.size());
                    Wait.until("the group has given each instance a partition", WAIT,
                            () -> KafkaEventsIT.held(portA).size() == 1 && KafkaEventsIT.held(portB).size() == 1);
                    String heldByB = KafkaEventsIT.held(portB).iterator().next();
                    String key = first.keySet().stream().sorted().filter(k -> (topic + "-" + partitionOf(k, partitions)).equals(heldByB))
                            .findFirst().orElseThrow(() -> new AssertionError("no race key on B's partition " + heldByB));

                    put(stores.sourceClient, "src", key, "version 2, newer and longer".getBytes());
                    broker.publish(topic, MinioEvents.kafka("s3:ObjectCreated:Put", "src", key));
                    Wait.until("B synced version 2 from its event", WAIT,
                            () -> TestStores.listed(stores.targetClient, "dst", key).equals(TestStores.listed(stores.sourceClient, "src", key)));

                    readsOfA.release(); // A's write of version 1 lands now, after B's of version 2
                    a.awaitFullPass();
                    b.awaitDrained();
                    a.awaitDrained();
                    assertEquals(contents(stores.sourceClient, "src", "plain/"), contents(stores.targetClient, "dst", "plain/"),
                            "A's pass copied the plain objects");
                    Set<String> copiedByA = new TreeSet<>(plain.keySet());
                    copiedByA.addAll(first.keySet());
                    return new Ended(contents(stores.sourceClient, "src", key), contents(stores.targetClient, "dst", key), key, copiedByA,
                            readsOfA.paths("HEAD"),
                            ObserveIT.metric(KafkaEventsIT.get(portA, "/observe/metrics"), "migration_rewrites_total"), a.output());
                }
            }
        }
    }

    /**
     * The pass path of the race: A's stale write of version 1 lands last and A's settling join — the same shards
     * merge-joined again once the pass's copies landed — finds the older copy and writes version 2 again, counted as a
     * rewrite. No write of the pass's first round was followed by a HEAD of its source key: A sent the source no HEAD for
     * any of the objects it copied without a race (only listings, and the folder look-ups of directory shards); only
     * the settling join's own write of the raced key may be looked after by one.
     */
    @Test
    void aPassSettlesItsWritesWithASecondJoinNotAHeadPerObjectAndItsOlderCopyThatLandedLastIsWrittenAgain() throws Exception {
        Ended ended = race("auto");
        assertEquals(ended.source(), ended.target(), "the target ends on the source's newest version");
        assertTrue(ended.rewritesOfA() >= 1, "A's pass counts the write again as a rewrite: " + ended.rewritesOfA());
        assertTrue(ended.outputOfA().contains(" writes again: "), "A's pass report shows the rewrite: " + ended.outputOfA());
        Set<String> looked = new TreeSet<>();
        for (String path : ended.headsOfA()) {
            String object = java.net.URLDecoder.decode(path.replaceFirst("\\?.*", ""), StandardCharsets.UTF_8).replaceFirst("^/src/", "");
            if (ended.copiedByA().contains(object)) {
                looked.add(object);
            }
        }
        Set<String> withoutARace = new TreeSet<>(ended.copiedByA());
        withoutARace.remove(ended.raced());
        assertEquals(PLAIN + 1, withoutARace.size());
        assertTrue(looked.stream().noneMatch(withoutARace::contains),
                "no HEAD of the source for the " + withoutARace.size() + " objects A's pass copied without a race; HEADs A sent: "
                        + ended.headsOfA());
    }

    /** The same race with the look switched off: the target keeps the older version, and no event will repair it. */
    @Test
    void withoutTheLookTheOlderCopyStaysOnTheTarget() throws Exception {
        Ended ended = race("off");
        assertNotEquals(ended.source(), ended.target(), "the race was staged: the older copy landed last");
        assertEquals(0, ended.rewritesOfA(), "nothing was written again");
    }

    /**
     * Three keys each changed 30 times, every change announced, while A's full pass and both instances' event syncs
     * copy them, every read of them delayed on both sides longer than a change takes (so each copy is outdated before it
     * lands, and the target lags while A's pass lists): the target ends equal to the source, and keys were written again
     * on the way.
     */
    @Test
    void keysChangedThirtyTimesWhileAPassAndEventsCopyThemEndEqual() throws Exception {
        String topic = "stale-busy";
        String group = "group-busy";
        broker.createTopic(topic, 2);
        List<String> hot = List.of(RACE + "hot-a.txt", RACE + "hot-b.txt", RACE + "hot-c.txt");
        try (TestStores stores = new TestStores(false);
                FaultyProxy sourceOfA = new FaultyProxy(RemoveIT.portOf(stores.source.endpoint()), (method, path) -> FaultyProxy.Fault.PASS);
                FaultyProxy sourceOfB = new FaultyProxy(RemoveIT.portOf(stores.source.endpoint()), (method, path) -> FaultyProxy.Fault.PASS)) {
            delayReadsOfHotKeys(sourceOfA, 400);
            delayReadsOfHotKeys(sourceOfB, 300);
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            int portA = EventsIT.freePort();
            int portB = EventsIT.freePort();
            ExecutorService writer = Executors.newSingleThreadExecutor();
            CountDownLatch someWritten = new CountDownLatch(5);
            try (EventsIT.Running b = new EventsIT.Running(stores, KafkaEventsIT.kafka(stores, topic, group, portB,
                    "migration.source.endpoint=" + sourceOfB.endpoint()))) {
                Future<?> writes = writer.submit(() -> {
                    for (int version = 1; version <= 30; version++) {
                        for (String key : hot) {
                            put(stores.sourceClient, "src", key, ("version " + version + " of " + key + "!".repeat(version)).getBytes());
                            broker.publish(topic, MinioEvents.kafka("s3:ObjectCreated:Put", "src", key));
                        }
                        someWritten.countDown();
                        Thread.sleep(150);
                    }
                    return null;
                });
                someWritten.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                // A starts while the keys change: its full pass finds them differing and copies them, as B syncs their events
                try (EventsIT.Running a = EventsIT.Running.starting(stores, KafkaEventsIT.kafka(stores, topic, group, portA,
                        "migration.source.endpoint=" + sourceOfA.endpoint()))) {
                    writes.get();
                    a.awaitFullPass();
                    a.awaitDrained();
                    b.awaitDrained();
                    assertEquals(contents(stores.sourceClient, "src", ""), contents(stores.targetClient, "dst", ""));
                    double rewrites = ObserveIT.metric(KafkaEventsIT.get(portA, "/observe/metrics"), "migration_rewrites_total")
                            + ObserveIT.metric(KafkaEventsIT.get(portB, "/observe/metrics"), "migration_rewrites_total");
                    assertTrue(rewrites > 0, "keys were written again after the source changed under a copy");
                }
            } finally {
                writer.shutdownNow();
            }
        }
    }

    /** Answers to GETs of the hot keys reach the tool this much later than the source gave them: each copy reads an older version. */
    static void delayReadsOfHotKeys(FaultyProxy proxy, long millis) {
        proxy.rewriteResponses((request, answer) -> {
            if (request.method().equals("GET") && request.path().startsWith("/src/" + RACE + "hot-")) {
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return answer;
        });
    }
}
