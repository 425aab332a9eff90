package io.github.miniomigrator.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.MigratorApplication;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `run` in kafka mode refuses to start without the settings it needs, naming each, before it reaches any server. */
class KafkaModeSettingsTest {
    @TempDir
    Path dir;

    String refusal(String... settings) throws Exception {
        Path config = dir.resolve("empty.properties");
        Files.writeString(config, "");
        List<String> args = new ArrayList<>(List.of("run", "--config", config.toString(), "migration.source.endpoint=http://127.0.0.1:9",
                "migration.source.access-key=a", "migration.target.provider=generic", "migration.target.endpoint=http://127.0.0.1:9",
                "migration.target.access-key=b", "migration.buckets=src:dst", "migration.events.mode=kafka", "migration.language=en"));
        args.addAll(List.of(settings));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = MigratorApplication.run(args.toArray(String[]::new), Map.of("MIGRATION_SOURCE_SECRET_KEY", "source-secret",
                "MIGRATION_TARGET_SECRET_KEY", "target-secret", "MIGRATION_EVENTS_KAFKA_PROPERTY_SASL_JAAS_CONFIG", "x password=\"jaas-pa55\""),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(MigratorApplication.EXIT_CANNOT_START, code);
        String text = err.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains("jaas-pa55"), text);
        return text;
    }

    @Test
    void theBrokersAndTheTopicAreRequiredAndNamed() throws Exception {
        assertTrue(refusal().contains("migration.events.kafka.brokers is not set"), refusal());
        String noTopic = refusal("migration.events.kafka.brokers=kafka:9092, [::1]:9093");
        assertTrue(noTopic.contains("migration.events.kafka.topic is not set"), noTopic);
        String noPort = refusal("migration.events.kafka.brokers=kafka1:9092,kafka2", "migration.events.kafka.topic=minio-events");
        assertTrue(noPort.contains("migration.events.kafka.brokers: 'kafka2' is not host:port"), noPort);
    }

    @Test
    void aPassedThroughSettingTheToolOwnsIsRefusedAndTheSecretsStayMasked() throws Exception {
        String text = refusal("migration.events.kafka.brokers=kafka:9092", "migration.events.kafka.topic=minio-events",
                "migration.events.kafka.property.enable.auto.commit=true");
        assertTrue(text.contains("migration.events.kafka.property.enable.auto.commit cannot be passed through"), text);
    }
}
