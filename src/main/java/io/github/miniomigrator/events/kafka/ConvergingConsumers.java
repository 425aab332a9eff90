package io.github.miniomigrator.events.kafka;

import java.util.Properties;
import org.apache.camel.component.kafka.DefaultKafkaClientFactory;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * The receive-kafka-events route's client factory (endpoint option kafkaClientFactory): its consumer commits only
 * past converged events, with the Kafka settings passed through (migration.events.kafka.property.*) added last —
 * secrets among them reach the Kafka client only, never the endpoint URI, Camel's properties or JMX.
 */
public final class ConvergingConsumers extends DefaultKafkaClientFactory {
    private final HeldPartitions held;
    private final Properties passedThrough;

    public ConvergingConsumers(HeldPartitions held, Properties passedThrough) {
        this.held = held;
        this.passedThrough = passedThrough;
    }

    @Override
    public Consumer getConsumer(Properties kafkaProps) {
        Properties properties = new Properties();
        properties.putAll(kafkaProps);
        properties.putAll(passedThrough);
        return new ConvergingConsumer(properties, held);
    }
}
