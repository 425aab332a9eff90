package io.github.miniomigrator.command;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.config.SettingsException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Webhook mode needs the bearer token or the path secret (or both), each long enough; the path secret a plain path segment. */
class WebhookSecretsTest {
    static Settings settings(String... keyValues) {
        Map<String, String> values = new LinkedHashMap<>(Map.of("migration.events.mode", "webhook", "migration.http.host", "127.0.0.1",
                "migration.source.provider", "generic", "migration.source.endpoint", "http://rgw:7480"));
        for (String keyValue : keyValues) {
            values.put(keyValue.substring(0, keyValue.indexOf('=')), keyValue.substring(keyValue.indexOf('=') + 1));
        }
        return new Settings(values);
    }

    static String refusal(Settings settings) {
        return assertThrows(SettingsException.class, () -> Preflight.checkEventSettings(settings)).getMessage();
    }

    @Test
    void eitherSecretOrBothAdmitTheWebhook() {
        Preflight.checkEventSettings(settings("migration.events.webhook.token=webhook-token-0123456789"));
        Preflight.checkEventSettings(settings("migration.events.webhook.path-secret=0123456789abcdef0123"));
        Preflight.checkEventSettings(settings("migration.events.webhook.token=webhook-token-0123456789",
                "migration.events.webhook.path-secret=a-b_c.d~e0123456789"));
    }

    @Test
    void neitherOrAShortOrAnUnsafeSecretIsRefusedByName() {
        String none = refusal(settings());
        assertTrue(none.contains("migration.events.webhook.token must be set") && none.contains("MIGRATION_EVENTS_WEBHOOK_PATH_SECRET"), none);
        assertTrue(refusal(settings("migration.events.webhook.token=short", "migration.events.webhook.path-secret=0123456789abcdef0123"))
                .contains("migration.events.webhook.token"));
        for (String bad : new String[] {"short", "0123456789abcdef/0123", "0123456789abcdef 0123", "0123456789abcdef%20123", "密钥0123456789abcdef"}) {
            String message = refusal(settings("migration.events.webhook.path-secret=" + bad));
            assertTrue(message.startsWith("migration.events.webhook.path-secret must be at least 16 characters of A-Z a-z 0-9 - _ . ~"), message);
            assertTrue(!message.contains(bad), "the refusal does not echo the secret");
        }
    }
}
