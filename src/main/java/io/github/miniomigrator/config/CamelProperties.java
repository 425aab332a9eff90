package io.github.miniomigrator.config;

import java.util.List;
import java.util.Properties;

/**
 * The settings as camel-main's properties: every resolved key (the routes read migration.* as placeholders), the
 * routes' preconditions, and for `run` the one HTTP port of the webhook, health and metrics.
 */
public final class CamelProperties {
    /** Where `run` serves health and metrics (camel.management.path): /observe/health, /observe/metrics. */
    public static final String OBSERVE_PATH = "/observe";

    private CamelProperties() {
    }

    /**
     * @param events whether the event routes run (`run` only)
     * @param kafka whether events come from Kafka (migration.events.mode=kafka, in `run`)
     */
    public static Properties of(Settings settings, boolean events, boolean kafka) {
        Properties properties = new Properties();
        // Kafka's passed-through settings (secrets among them) go to its client alone, never into Camel's properties
        settings.all().forEach((key, value) -> {
            if (!KafkaClientProperties.isProperty(key)) {
                properties.put(key, value);
            }
        });
        // route preconditions: the event routes exist only in `run`, the broker route only when a URI is set
        properties.put("minio-migrator.events-enabled", String.valueOf(events));
        properties.put("minio-migrator.webhook-enabled",
                String.valueOf(events && settings.get(Setting.EVENTS_MODE).equalsIgnoreCase("webhook")));
        properties.put("minio-migrator.events-uri-enabled", String.valueOf(events && !settings.get(Setting.EVENTS_URI).isEmpty()));
        properties.put("minio-migrator.kafka-enabled", String.valueOf(kafka));
        if (kafka) {
            for (Setting setting : List.of(Setting.KAFKA_BROKERS, Setting.KAFKA_TOPIC, Setting.KAFKA_GROUP)) {
                properties.put(setting.key(), settings.required(setting));
            }
        }
        if (events) {
            // one HTTP port for `run`: the webhook, /observe/health and /observe/metrics, on migration.http.host only
            HttpAddress address = HttpAddress.of(settings);
            properties.put("camel.server.enabled", "true");
            properties.put("camel.server.host", address.host());
            properties.put("camel.server.port", String.valueOf(address.port()));
            properties.put("camel.management.enabled", "true");
            properties.put("camel.management.host", address.host());
            properties.put("camel.management.port", String.valueOf(address.port()));
            // the path the guard covers: fixed, so that no camel.* property can move health and metrics from behind it
            properties.put("camel.management.path", OBSERVE_PATH);
            properties.put("camel.management.healthCheckEnabled", "true");
            properties.put("camel.management.metricsEnabled", "true");
            properties.put("camel.metrics.enabled", "true");
            // its per-endpoint meters change tag keys between events, and Prometheus warns on every run; the routes' own
            // timers and the tool's counters stay
            properties.put("camel.metrics.enableExchangeEventNotifier", "false");
            properties.put("camel.health.enabled", "true");
            properties.put("camel.health.exposureLevel", "full");
            // MinIO's event bodies are kilobytes: a larger POST is refused before anyone reads it into memory
            properties.put("camel.server.maxBodySize", String.valueOf(4L << 20));
            properties.put("camel.server.fileUploadEnabled", "false");
        }
        return properties;
    }
}
