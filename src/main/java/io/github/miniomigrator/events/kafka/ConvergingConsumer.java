package io.github.miniomigrator.events.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka consumer of the receive-kafka-events route, committing only past events that converged. camel-kafka's own
 * commit managers commit each record once the route has handled it — on receipt here, since the route only queues the
 * key — so the route runs with none (autoCommitEnable=false, no manual commit) and this consumer commits instead, on
 * its own thread (a Kafka consumer is not thread-safe): before every poll, the watermarks of the partitions it holds;
 * when partitions are revoked, theirs before they go; when they are lost (the group moved on without it), nothing.
 */
final class ConvergingConsumer extends KafkaConsumer<Object, Object> {
    private static final Logger LOG = LoggerFactory.getLogger(ConvergingConsumer.class);
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(10);
    private final HeldPartitions held;

    ConvergingConsumer(Properties properties, HeldPartitions held) {
        super(properties);
        this.held = held;
    }

    @Override
    public void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
        super.subscribe(topics, new Rebalance(listener));
    }

    @Override
    public void subscribe(Pattern pattern, ConsumerRebalanceListener listener) {
        super.subscribe(pattern, new Rebalance(listener));
    }

    @Override
    public ConsumerRecords<Object, Object> poll(Duration timeout) {
        commit(held.due(assignment()));
        ConsumerRecords<Object, Object> records = super.poll(timeout);
        held.observe(this);
        return records;
    }

    private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        try {
            commitSync(offsets, COMMIT_TIMEOUT);
            held.committed(offsets);
        } catch (WakeupException | InterruptException e) {
            throw e; // Camel stopping the route
        } catch (KafkaException e) {
            // a rebalance under way, a broker away: tried again before the next poll, or the events are read again
            LOG.warn("could not commit offsets {} yet: {}", offsets, e.getMessage());
        }
    }

    /** Commits and forgets the partitions that go, then lets camel-kafka's own listener do its part. */
    private final class Rebalance implements ConsumerRebalanceListener {
        private final ConsumerRebalanceListener camel;

        Rebalance(ConsumerRebalanceListener camel) {
            this.camel = camel;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            held.assigned(partitions);
            if (!partitions.isEmpty()) {
                LOG.info("Kafka partitions assigned to this instance: {}", partitions);
            }
            camel.onPartitionsAssigned(partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            commit(held.due(partitions));
            held.released(partitions);
            if (!partitions.isEmpty()) {
                LOG.info("Kafka partitions revoked from this instance: {} (their converged offsets committed)", partitions);
            }
            camel.onPartitionsRevoked(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            held.released(partitions);
            LOG.warn("Kafka partitions lost by this instance: {}; their uncommitted events are read again by their new owner", partitions);
            camel.onPartitionsLost(partitions);
        }
    }
}
