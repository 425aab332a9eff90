package io.github.miniomigrator.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code migration.events.kafka.property.NAME=value} passes a Kafka client setting through under Kafka's own name:
 * security.protocol, sasl.mechanism, sasl.jaas.config, ssl.truststore.location ... Kafka is secured in dozens of
 * ways (PLAIN, SCRAM, OAuth, Kerberos, mutual TLS) that need no setting each here, and an operator's client.properties
 * carries over line by line. In the environment, MIGRATION_EVENTS_KAFKA_PROPERTY_SASL_JAAS_CONFIG sets
 * sasl.jaas.config (Kafka's names have dots where the variable has '_'). Values that can be secrets are known by their
 * names and masked like every secret setting; they reach the Kafka client only, never Camel's endpoint or properties.
 */
public final class KafkaClientProperties {
    public static final String PREFIX = "migration.events.kafka.property.";
    static final String ENVIRONMENT_PREFIX = "MIGRATION_EVENTS_KAFKA_PROPERTY_";
    private static final Map<String, String> OWNED = Map.of(
            "enable.auto.commit", "the tool commits offsets itself, and only past events whose keys converged",
            "bootstrap.servers", "set " + Setting.KAFKA_BROKERS.key() + " instead",
            "group.id", "set " + Setting.KAFKA_GROUP.key() + " instead",
            "key.deserializer", "MinIO's keys and events are UTF-8 text",
            "value.deserializer", "MinIO's keys and events are UTF-8 text");
    private static final Pattern SECRET_NAME = Pattern.compile("password|secret|jaas|token|credential|(^|\\.)key$");
    /** A JAAS config names its secrets as options: password="…" (PLAIN, SCRAM), clientSecret="…" (OAuth). */
    private static final Pattern JAAS_SECRET = Pattern.compile("(?i)\\w*(?:password|secret|token)\\w*\\s*=\\s*\"([^\"]*)\"");

    private KafkaClientProperties() {
    }

    public static boolean isProperty(String key) {
        return key.startsWith(PREFIX) && key.length() > PREFIX.length();
    }

    /** The setting an environment variable carries, or null when it carries none. */
    static String keyOf(String environmentVariable) {
        if (!environmentVariable.startsWith(ENVIRONMENT_PREFIX) || environmentVariable.length() == ENVIRONMENT_PREFIX.length()) {
            return null;
        }
        return PREFIX + environmentVariable.substring(ENVIRONMENT_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
    }

    /** Every property passed through, by Kafka's name. @throws SettingsException for one the tool sets itself */
    public static Properties of(Settings settings) {
        Properties properties = new Properties();
        settings.startingWith(PREFIX).forEach((name, value) -> {
            String why = OWNED.get(name);
            if (why != null) {
                throw new SettingsException(PREFIX + name + " cannot be passed through: " + why + ".");
            }
            properties.setProperty(name, value);
        });
        return properties;
    }

    /** Whether a Kafka client setting of this name can hold a secret. */
    public static boolean secret(String name) {
        return SECRET_NAME.matcher(name.toLowerCase(Locale.ROOT)).find();
    }

    /** The values to mask: those of the properties whose names say secret, and each secret option inside a JAAS config. */
    static List<String> secretValues(Map<String, String> properties) {
        List<String> secrets = new ArrayList<>();
        properties.forEach((name, value) -> {
            if (secret(name) && !value.isEmpty()) {
                secrets.add(value);
                Matcher option = JAAS_SECRET.matcher(value);
                while (option.find()) {
                    secrets.add(option.group(1));
                }
            }
        });
        return secrets;
    }
}
