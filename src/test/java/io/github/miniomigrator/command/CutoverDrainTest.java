package io.github.miniomigrator.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.cluster.Leadership;
import io.github.miniomigrator.events.ChangeQueue;
import io.github.miniomigrator.events.SyncStatus;
import io.github.miniomigrator.events.kafka.HeldPartitions;
import io.github.miniomigrator.events.kafka.PartitionsHeld;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * kafka mode without ZooKeeper: an instance's "drained" covers the partitions it holds (instances may share a group),
 * but a cutover from it needs it to hold the whole topic — a partition it does not hold is nobody it can see.
 */
class CutoverDrainTest {
    static TopicPartition partition(int number) {
        return new TopicPartition("minio-events", number);
    }

    @Test
    void withoutAClusterTheCutoverNeedsTheWholeTopicWhileTheInstanceIsDrainedForWhatItHolds() {
        HeldPartitions held = new HeldPartitions();
        SyncStatus status = new SyncStatus(Duration.ZERO);
        status.attach(new ChangeQueue(10, status), held, true);
        status.fullPassDone();
        PartitionsHeld.give(held, "minio-events", 0, 1);
        PartitionsHeld.polled(held, Map.of(partition(0), 0L, partition(1), 0L), 4);
        assertTrue(status.isDrained(), "what it holds is drained");
        assertEquals(List.of("this instance: holds 2 of the topic's 4 partitions: partition(s) [2, 3] are held by no consumer while the "
                + "group rebalances, or by one outside this instance"), CutoverCommand.notDrained(status, Leadership.alone()));

        PartitionsHeld.give(held, "minio-events", 2, 3);
        assertEquals(List.of("this instance: Kafka has not told yet how many events are unread on partition(s) [2, 3] (given to this "
                + "instance moments ago)"), CutoverCommand.notDrained(status, Leadership.alone()));
        PartitionsHeld.polled(held, Map.of(partition(2), 0L, partition(3), 0L), 4);
        assertEquals(List.of(), CutoverCommand.notDrained(status, Leadership.alone()));
    }
}
