package io.github.miniomigrator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.copy.PassStats;
import io.github.miniomigrator.listing.DirectoryShard;
import io.github.miniomigrator.listing.KeyRange;
import io.github.miniomigrator.support.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The books of shared passes on a real ZooKeeper (curator-test): two members' clients, each with its own session. */
@Tag("cluster")
class PassBoardTest {
    TestingServer zooKeeper;
    CuratorFramework one;
    CuratorFramework two;
    PassBoard boardOne;
    PassBoard boardTwo;

    @BeforeEach
    void start() throws Exception {
        zooKeeper = new TestingServer(true);
        one = client();
        two = client();
        boardOne = new PassBoard(one, "it");
        boardTwo = new PassBoard(two, "it");
    }

    CuratorFramework client() throws Exception {
        CuratorFramework client = CuratorFrameworkFactory.builder().connectString(zooKeeper.getConnectString()).namespace("minio-migrator")
                .retryPolicy(new RetryOneTime(100)).build();
        client.start();
        client.blockUntilConnected();
        return client;
    }

    @AfterEach
    void stop() throws Exception {
        one.close();
        two.close();
        zooKeeper.close();
    }

    static List<PlannedShard> shards(int count) {
        List<PlannedShard> shards = new ArrayList<>();
        shards.add(PlannedShard.of(0, 0, "src -> dst", DirectoryShard.directKeys("")));
        for (int n = 1; n < count; n++) {
            shards.add(PlannedShard.of(0, n, "src -> dst", DirectoryShard.everything(String.format("d%02d/", n))));
        }
        return shards;
    }

    static PassBoard.PassInfo info() {
        return new PassBoard.PassInfo("full", 1, "one", "2026-11-27T00:00:00Z", List.of("src -> dst"));
    }

    /**
     * An old finished pass is deleted "ready" first: a leader cut off between two deletes never leaves a pass that looks
     * open (ready, not finished) with its books gone — the next leader would adopt it and wait for it forever.
     */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void anOldPassLosesItsReadyMarkFirstAndAHalfDeletedOneIsNeverOpen() throws Exception {
        String first = boardOne.publish(info(), shards(3));
        boardOne.finish(first, "ok");
        List<String> deleted = java.util.Collections.synchronizedList(new ArrayList<>());
        for (String child : List.of("ready", "finished", "shards")) {
            two.checkExists().usingWatcher((org.apache.zookeeper.Watcher) event -> {
                if (event.getType() == org.apache.zookeeper.Watcher.Event.EventType.NodeDeleted) {
                    deleted.add(child);
                }
            }).forPath("/passes/it/" + first + "/" + child);
        }
        for (int n = 0; n < PassBoard.KEPT_FINISHED; n++) {
            boardOne.finish(boardOne.publish(info(), shards(1)), "ok"); // the first is now old: deleted
        }
        while (deleted.size() < 3) {
            Thread.sleep(10); // a state, not a time: the test's own timeout bounds it
        }
        assertEquals("ready", deleted.get(0), "deleted in this order: " + deleted);

        // what a leader cut off after that first delete leaves: no ready mark, its books still there
        String half = boardOne.publish(info(), shards(2));
        one.delete().forPath("/passes/it/" + half + "/ready");
        assertEquals(List.of(), boardTwo.open(), "a half-deleted pass is never open");
        boardTwo.dropUnready();
        assertEquals(null, two.checkExists().forPath("/passes/it/" + half), "the next leader drops it");
    }

    @Test
    void aPublishedPassIsOpenWithItsShardsInOrder() throws Exception {
        assertEquals(List.of(), boardTwo.open(), "no pass yet");
        String pass = boardOne.publish(info(), shards(250)); // more than one transaction's worth
        assertEquals(List.of(pass), boardTwo.open());
        assertEquals(250, boardTwo.shardCount(pass));
        List<PlannedShard> read = boardTwo.shards(pass);
        assertEquals(250, read.size());
        assertEquals(shards(250).stream().map(PlannedShard::name).toList(), read.stream().map(PlannedShard::name).toList(),
                "by mapping, then number");
        assertEquals(DirectoryShard.everything("d07/").encode(), read.stream().filter(s -> s.name().equals("0-7")).findFirst()
                .orElseThrow().decoded().encode());
        assertEquals("one", boardTwo.info(pass).leader());
    }

    @Test
    void aPassWithoutReadyIsNotOpenAndANewLeaderDropsIt() throws Exception {
        one.create().creatingParentsIfNeeded().forPath("/passes/it/pass-0000000000");
        one.create().forPath("/passes/it/pass-0000000000/shards");
        assertEquals(List.of(), boardTwo.open(), "a pass being written is nobody's to run");
        boardTwo.dropUnready();
        assertEquals(List.of(), boardTwo.passes());
    }

    @Test
    void aShardIsClaimedByOneMemberAtATimeAndNeverAfterItIsDone() throws Exception {
        String pass = boardOne.publish(info(), shards(3));
        assertTrue(boardOne.claim(pass, "0-1", "one"));
        assertFalse(boardTwo.claim(pass, "0-1", "two"), "held by one");
        assertEquals(Set.of("0-1"), boardTwo.claimed(pass));

        PassStats stats = new PassStats();
        stats.sourceObjects.add(7);
        stats.copiedObjects.add(5);
        stats.extraObjects.add(2);
        boardOne.complete(pass, Map.of("0-1", new ShardDone("one", true, 2)), BatchTally.of(0, List.of("0-1"), stats), "one");
        assertEquals(Set.of(), boardTwo.claimed(pass), "claims go with the done in one transaction");
        assertEquals(new ShardDone("one", true, 2), boardTwo.done(pass).get("0-1"));
        assertFalse(boardTwo.claim(pass, "0-1", "two"), "a done shard is not run again");
        assertEquals(Set.of(), boardTwo.claimed(pass), "the claim taken to find out is gone again");

        List<BatchTally> tallies = boardTwo.tallies(pass);
        assertEquals(1, tallies.size());
        PassStats sum = new PassStats();
        tallies.get(0).addTo(sum);
        assertEquals(7, sum.sourceObjects.sum());
        assertEquals(5, sum.copiedObjects.sum());
        assertEquals(2, sum.extraObjects.sum());
    }

    @Test
    void aClaimVanishesWithItsSessionAndAnotherMemberRunsTheShard() throws Exception {
        String pass = boardOne.publish(info(), shards(2));
        assertTrue(boardOne.claim(pass, "0-0", "one"));
        one.close(); // the session ends, as when ZooKeeper expires a dead member's
        assertTrue(boardTwo.claim(pass, "0-0", "two"), "free again");
        boardTwo.complete(pass, Map.of("0-0", new ShardDone("two", true, 0)), BatchTally.of(0, List.of("0-0"), new PassStats()), "two");
        assertEquals("two", boardTwo.done(pass).get("0-0").member());
    }

    @Test
    void aShardRunTwiceKeepsItsFirstDone() throws Exception {
        String pass = boardOne.publish(info(), shards(2));
        assertTrue(boardOne.claim(pass, "0-0", "one"));
        // its claim vanished (an expired session) and another member ran the shard meanwhile
        one.delete().forPath("/passes/it/" + pass + "/claims/0-0");
        assertTrue(boardTwo.claim(pass, "0-0", "two"));
        boardTwo.complete(pass, Map.of("0-0", new ShardDone("two", true, 0)), BatchTally.of(0, List.of("0-0"), new PassStats()), "two");
        boardOne.complete(pass, Map.of("0-0", new ShardDone("one", false, 0)), BatchTally.of(0, List.of("0-0"), new PassStats()), "one");
        assertEquals(new ShardDone("two", true, 0), boardOne.done(pass).get("0-0"));
        assertEquals(Set.of(), boardOne.claimed(pass));
        assertEquals(1, boardOne.tallies(pass).size(), "the shard's counts are in the pass once: " + boardOne.tallies(pass));
    }

    static PassStats copied(long objects) {
        PassStats stats = new PassStats();
        stats.sourceObjects.add(objects);
        stats.copiedObjects.add(objects);
        return stats;
    }

    static long copiedInAll(List<BatchTally> tallies) {
        PassStats sum = new PassStats();
        tallies.forEach(t -> t.addTo(sum));
        return sum.copiedObjects.sum();
    }

    @Test
    void aBatchPartlyRunElsewhereRecordsNothingAndItsOtherShardsRunAgain() throws Exception {
        String pass = boardOne.publish(info(), shards(3));
        assertTrue(boardOne.claim(pass, "0-0", "one"));
        assertTrue(boardOne.claim(pass, "0-1", "one"));
        // one's claim of 0-0 vanished (an expired session); two ran 0-0 and recorded it
        one.delete().forPath("/passes/it/" + pass + "/claims/0-0");
        assertTrue(boardTwo.claim(pass, "0-0", "two"));
        boardTwo.complete(pass, Map.of("0-0", new ShardDone("two", true, 0)), BatchTally.of(0, List.of("0-0"), copied(3)), "two");

        Map<String, ShardDone> batch = new java.util.LinkedHashMap<>();
        batch.put("0-0", new ShardDone("one", true, 0));
        batch.put("0-1", new ShardDone("one", true, 0));
        assertFalse(boardOne.complete(pass, batch, BatchTally.of(0, List.of("0-0", "0-1"), copied(5)), "one"));
        assertEquals(3, copiedInAll(boardOne.tallies(pass)), "0-0 counted once (two's run); one's batch cannot be split, so it counts nothing");
        assertEquals(Set.of("0-0"), boardOne.doneNames(pass), "0-1 is not done: its counts are in no tally");
        assertEquals(Set.of(), boardOne.claimed(pass), "one gave up its claim of 0-1");
        assertTrue(boardTwo.claim(pass, "0-1", "two"), "so another batch runs it, and counts it");
    }

    @Test
    void aBatchRecordedTwiceIsCountedOnce() throws Exception {
        String pass = boardOne.publish(info(), shards(2));
        assertTrue(boardOne.claim(pass, "0-0", "one"));
        BatchTally tally = BatchTally.of(0, List.of("0-0"), copied(4));
        assertTrue(boardOne.complete(pass, Map.of("0-0", new ShardDone("one", true, 0)), tally, "one"));
        // the answer was lost and the same record sent again (a connection lost after the commit)
        assertTrue(boardOne.complete(pass, Map.of("0-0", new ShardDone("one", true, 0)), tally, "one"), "recorded, by its first send");
        assertEquals(4, copiedInAll(boardOne.tallies(pass)));
    }

    @Test
    void releasedShardsAreFreeAgain() throws Exception {
        String pass = boardOne.publish(info(), shards(2));
        assertTrue(boardOne.claim(pass, "0-0", "one"));
        boardOne.release(pass, List.of("0-0", "0-1"));
        assertTrue(boardTwo.claim(pass, "0-0", "two"));
    }

    @Test
    void aReleaseLeavesAnotherMembersClaimAlone() throws Exception {
        String pass = boardOne.publish(info(), shards(2));
        assertTrue(boardTwo.claim(pass, "0-0", "two")); // one's claim vanished meanwhile; two holds the shard now
        boardOne.release(pass, List.of("0-0"));
        assertEquals(Set.of("0-0"), boardTwo.claimed(pass));
    }

    @Test
    void finishingClosesThePassAndKeepsTheLastTwoFinished() throws Exception {
        List<String> passes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            passes.add(boardOne.publish(info(), List.of(PlannedShard.of(0, 0, "src -> dst", KeyRange.ALL))));
        }
        String open = passes.get(3);
        for (String pass : passes.subList(0, 3)) {
            boardOne.finish(pass, "ok");
        }
        assertEquals(List.of(passes.get(1), passes.get(2), open), boardTwo.passes(), "the oldest finished pass is deleted");
        assertEquals(List.of(open), boardTwo.open());
        assertTrue(boardTwo.finished(passes.get(2)));
    }

    /**
     * A worker with nothing to do waits for the board to change, not for its next poll: a pass published by the leader
     * and a claim gone with its member's session both wake it (the fallback poll here is a minute, longer than any wait).
     */
    @Test
    void aWaitingWorkerWakesWhenAPassIsPublishedAndWhenAClaimGoesWithItsSession() throws Exception {
        PassBoard watched = new PassBoard(one, "it", TimeUnit.MINUTES.toMillis(1));
        try (AutoCloseable watch = watched.watch()) {
            Wait.until("the watch reads the board", Duration.ofSeconds(30), watched::watching);
            long seen = watched.seen();
            String pass = boardTwo.publish(info(), shards(2));
            assertTrue(watched.awaitChange(seen, () -> true), "woken by the new pass");

            assertTrue(boardTwo.claim(pass, "0-1", "two"));
            Wait.until("the claim is seen", Duration.ofSeconds(30), () -> {
                try {
                    return watched.claimed(pass).contains("0-1");
                } catch (Exception e) {
                    return false;
                }
            });
            long beforeSessionEnds = watched.seen();
            two.close(); // the member's session ends: its claim vanishes
            assertTrue(watched.awaitChange(beforeSessionEnds, () -> true), "woken by the claim that vanished");
            Wait.until("the shard is free again", Duration.ofSeconds(30), () -> {
                try {
                    return !watched.claimed(pass).contains("0-1");
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    @Test
    void aWaiterStopsWaitingWhenToldToWithoutAChange() throws Exception {
        PassBoard watched = new PassBoard(one, "it", TimeUnit.MINUTES.toMillis(1));
        try (AutoCloseable watch = watched.watch()) {
            Wait.until("the watch reads the board", Duration.ofSeconds(30), watched::watching);
            assertFalse(watched.awaitChange(watched.seen(), () -> false), "no change, and no reason to wait");
        }
    }
}
