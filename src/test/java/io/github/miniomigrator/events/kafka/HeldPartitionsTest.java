package io.github.miniomigrator.events.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** When the partitions an instance holds let it be called drained: every unread count known, and (alone) the whole topic held. */
class HeldPartitionsTest {
    static final TopicPartition ZERO = new TopicPartition("minio-events", 0);
    static final TopicPartition ONE = new TopicPartition("minio-events", 1);

    @Test
    void aPartitionJustGivenIsNotDrainedUntilKafkaHasToldItsUnreadCount() {
        HeldPartitions held = new HeldPartitions();
        held.assigned(List.of(ZERO, ONE));
        assertEquals("Kafka has not told yet how many events are unread on partition(s) [0, 1] (given to this instance moments ago)",
                held.notDrainedBecause(false));
        assertEquals(-1, held.state(ZERO).lag());
        // a poll tells one of them (the other's first fetch has not come back): still not drained
        held.observed(true, Map.of(ZERO, 0L), 4);
        assertEquals("Kafka has not told yet how many events are unread on partition(s) [1] (given to this instance moments ago)",
                held.notDrainedBecause(false));
        held.observed(true, Map.of(ONE, 7L), 4);
        assertNull(held.notDrainedBecause(false), "in a cluster the leader checks that the others hold partitions 2 and 3");
        assertEquals(7, held.lag());
        // revoked and given back: its count is not known again until a poll tells it
        held.released(List.of(ONE));
        held.assigned(List.of(ONE));
        assertEquals(-1, held.state(ONE).lag());
        assertEquals(0, held.lag(), "an unknown count adds nothing to the lag: the drained check names it instead");
    }

    @Test
    void aloneItMustHoldEveryPartitionOfTheTopic() {
        HeldPartitions held = new HeldPartitions();
        held.assigned(List.of(ZERO, ONE));
        held.observed(true, Map.of(ZERO, 0L, ONE, 0L), 4);
        assertEquals(List.of(0, 1), held.numbers());
        assertEquals(4, held.topicPartitions());
        assertEquals("holds 2 of the topic's 4 partitions: partition(s) [2, 3] are held by no consumer while the group rebalances, "
                + "or by one outside this instance", held.notDrainedBecause(true));
        held.assigned(List.of(new TopicPartition("minio-events", 2), new TopicPartition("minio-events", 3)));
        held.observed(true, Map.of(new TopicPartition("minio-events", 2), 0L, new TopicPartition("minio-events", 3), 0L), 0);
        assertNull(held.notDrainedBecause(true), "a poll that could not tell the topic's size keeps the last one known");
        assertEquals(List.of(1, 3), HeldPartitions.missing(List.of(0, 2), 4));
    }
}
