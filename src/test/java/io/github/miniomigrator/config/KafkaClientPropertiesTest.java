package io.github.miniomigrator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.SecretMask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kafka's own settings passed through: from the file, the environment and arguments, secrets known by name and masked. */
class KafkaClientPropertiesTest {
    static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"migrator\" password=\"scram-pa55\";";

    @TempDir
    Path dir;

    @Test
    void kafkaSettingsPassThroughUnderKafkasNamesFromEverySource() throws Exception {
        Path file = dir.resolve("m.properties");
        Files.writeString(file, "migration.events.kafka.property.security.protocol=SASL_SSL\n"
                + "migration.events.kafka.property.ssl.truststore.location=/etc/kafka/truststore.jks\n");
        Settings settings = SettingsLoader.load(file, Map.of("MIGRATION_EVENTS_KAFKA_PROPERTY_SASL_JAAS_CONFIG", JAAS,
                "MIGRATION_EVENTS_KAFKA_PROPERTY_SSL_TRUSTSTORE_PASSWORD", "trust-me-42"), List.of("migration.events.kafka.property.sasl.mechanism=SCRAM-SHA-512"));
        Properties kafka = KafkaClientProperties.of(settings);
        assertEquals("SASL_SSL", kafka.getProperty("security.protocol"));
        assertEquals("SCRAM-SHA-512", kafka.getProperty("sasl.mechanism"));
        assertEquals(JAAS, kafka.getProperty("sasl.jaas.config"));
        assertEquals("trust-me-42", kafka.getProperty("ssl.truststore.password"));
        assertEquals(5, kafka.size());
    }

    @Test
    void secretsAreKnownByNameAndMaskedWholeAndInsideAJaasConfig() {
        Settings settings = new Settings(Map.of("migration.events.kafka.property.sasl.jaas.config", JAAS,
                "migration.events.kafka.property.ssl.key.password", "key-pa55",
                "migration.events.kafka.property.ssl.keystore.key", "-----BEGIN PRIVATE KEY-----",
                "migration.events.kafka.property.sasl.mechanism", "SCRAM-SHA-512"));
        assertTrue(settings.secretValues().containsAll(List.of(JAAS, "scram-pa55", "key-pa55", "-----BEGIN PRIVATE KEY-----")));
        assertFalse(settings.secretValues().contains("SCRAM-SHA-512"));
        String masked = new SecretMask(settings.secretValues()).apply("login failed for " + JAAS + "; password scram-pa55 refused");
        assertFalse(masked.contains("scram-pa55"), masked);
        assertTrue(KafkaClientProperties.secret("sasl.oauthbearer.client.credentials.client.secret"));
        assertFalse(KafkaClientProperties.secret("ssl.truststore.location"));
    }

    @Test
    void whatTheToolSetsItselfCannotBePassedThrough() {
        for (String owned : List.of("enable.auto.commit", "group.id", "bootstrap.servers", "value.deserializer")) {
            SettingsException e = assertThrows(SettingsException.class,
                    () -> KafkaClientProperties.of(new Settings(Map.of(KafkaClientProperties.PREFIX + owned, "x"))));
            assertTrue(e.getMessage().startsWith(KafkaClientProperties.PREFIX + owned), e.getMessage());
        }
    }
}
