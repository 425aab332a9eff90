package io.github.miniomigrator.events.kafka;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/** For tests outside this package: partitions given to an instance and what a poll told of them, as the consumer does it. */
public final class PartitionsHeld {
    private PartitionsHeld() {
    }

    public static void give(HeldPartitions held, String topic, int... partitions) {
        held.assigned(java.util.Arrays.stream(partitions).mapToObj(p -> new TopicPartition(topic, p)).toList());
    }

    public static void polled(HeldPartitions held, Map<TopicPartition, Long> lags, int topicPartitions) {
        held.observed(true, lags, topicPartitions);
    }
}
