package io.github.miniomigrator.events.kafka;

import io.github.miniomigrator.events.EventIntake;
import io.github.miniomigrator.events.MalformedEventException;
import io.github.miniomigrator.events.MinioEventParser;
import io.github.miniomigrator.events.Watermark;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receive-kafka-events route's step: one message of MinIO's Kafka target (key {@code bucket/object} unescaped;
 * value {@code {"EventName","Key","Records":[…]}} with s3.object.key query-escaped, as in webhooks). Each mapped key
 * is queued with a ticket on its partition's watermark; a malformed message, a keep-alive or an event for an unmapped
 * bucket claims nothing, so none of them holds its partition's offset back.
 */
public final class KafkaEventReceiver {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaEventReceiver.class);
    private final HeldPartitions held;
    private final EventIntake intake;

    public KafkaEventReceiver(HeldPartitions held, EventIntake intake) {
        this.held = held;
        this.intake = intake;
    }

    public void receive(@Header(KafkaConstants.TOPIC) String topic, @Header(KafkaConstants.PARTITION) int partition,
            @Header(KafkaConstants.OFFSET) long offset, @Body String body) {
        Watermark watermark = held.watermark(new TopicPartition(topic, partition));
        if (watermark == null) {
            // records come only from partitions held, on the consumer's thread; should one not be, its owner reads it
            LOG.debug("event at {}-{} offset {} skipped: the partition is not held", topic, partition, offset);
            return;
        }
        watermark.read(offset);
        try {
            intake.accept(body == null ? "" : body, MinioEventParser.KeyEncoding.QUERY_ESCAPED, () -> watermark.claim(offset));
        } catch (MalformedEventException e) {
            LOG.warn("event at {}-{} offset {} ignored: {}", topic, partition, offset, e.getMessage());
        }
    }
}
