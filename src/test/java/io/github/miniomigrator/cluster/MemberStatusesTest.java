package io.github.miniomigrator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.events.ChangeQueue;
import io.github.miniomigrator.events.SyncStatus;
import io.github.miniomigrator.events.kafka.HeldPartitions;
import io.github.miniomigrator.events.kafka.PartitionsHeld;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The leader's cluster-wide "drained" in kafka mode, on a real ZooKeeper (curator-test): two instances each drained on
 * their own are not drained together while a partition of the topic is held by neither (the group rebalancing).
 */
@Tag("cluster")
class MemberStatusesTest {
    static final String TOPIC = "minio-events";

    static CuratorFramework client(TestingServer zooKeeper) throws Exception {
        CuratorFramework client = CuratorFrameworkFactory.builder().connectString(zooKeeper.getConnectString()).namespace("minio-migrator")
                .retryPolicy(new RetryOneTime(100)).build();
        client.start();
        client.blockUntilConnected();
        return client;
    }

    static SyncStatus kafkaStatus(HeldPartitions held) {
        SyncStatus status = new SyncStatus(Duration.ZERO);
        status.attach(new ChangeQueue(10, status), held, false);
        return status;
    }

    static Map<TopicPartition, Long> nothingUnread(int... partitions) {
        java.util.Map<TopicPartition, Long> lags = new java.util.HashMap<>();
        for (int partition : partitions) {
            lags.put(new TopicPartition(TOPIC, partition), 0L);
        }
        return lags;
    }

    @Test
    void aPartitionHeldByNoInstanceKeepsTheClusterFromBeingDrained() throws Exception {
        try (TestingServer zooKeeper = new TestingServer(true); CuratorFramework one = client(zooKeeper); CuratorFramework two = client(zooKeeper)) {
            HeldPartitions leaderHeld = new HeldPartitions();
            HeldPartitions followerHeld = new HeldPartitions();
            SyncStatus leaderStatus = kafkaStatus(leaderHeld);
            leaderStatus.fullPassDone();
            SyncStatus followerStatus = kafkaStatus(followerHeld);
            try (MemberStatuses leader = new MemberStatuses(one, "it", "leader-1", leaderStatus, () -> true);
                    MemberStatuses follower = new MemberStatuses(two, "it", "follower-2", followerStatus, () -> false)) {
                List<String> participants = List.of("leader-1", "follower-2");
                // mid-rebalance: the leader was given 0 and 1, the follower 2; partition 3 is nobody's yet
                PartitionsHeld.give(leaderHeld, TOPIC, 0, 1);
                PartitionsHeld.polled(leaderHeld, nothingUnread(0, 1), 4);
                PartitionsHeld.give(followerHeld, TOPIC, 2);
                PartitionsHeld.polled(followerHeld, nothingUnread(2), 4);
                follower.publish();
                assertEquals(List.of("partition(s) [3] of the topic's 4 are held by no instance: the consumer group is rebalancing "
                        + "(or a consumer outside this cluster holds them)"), leader.notDrained(participants));

                // the follower is given 3: until a poll tells its unread count, the follower says why it is not drained
                PartitionsHeld.give(followerHeld, TOPIC, 3);
                follower.publish();
                List<String> notDrained = leader.notDrained(participants);
                assertEquals(1, notDrained.size(), notDrained.toString());
                assertTrue(notDrained.get(0).startsWith("follower-2: follower, Kafka has not told yet how many events are unread on "
                        + "partition(s) [3]"), notDrained.toString());

                PartitionsHeld.polled(followerHeld, nothingUnread(3), 4);
                follower.publish();
                assertEquals(List.of(), leader.notDrained(participants), "all four partitions held, nothing unread");
            }
        }
    }
}
