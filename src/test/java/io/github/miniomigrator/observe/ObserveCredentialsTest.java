package io.github.miniomigrator.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.config.SettingsException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What health and metrics accept: the token as a bearer, the user name and password as basic auth, nothing else. */
class ObserveCredentialsTest {
    static final String TOKEN = "observe-token-0123456789";
    static final String PASSWORD = "observe-password-0123456789";

    static Settings settings(String... keyValues) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String keyValue : keyValues) {
            values.put(keyValue.substring(0, keyValue.indexOf('=')), keyValue.substring(keyValue.indexOf('=') + 1));
        }
        return new Settings(values);
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static String refusal(String... keyValues) {
        String message = assertThrows(SettingsException.class, () -> ObserveCredentials.of(settings(keyValues))).getMessage();
        for (String keyValue : keyValues) {
            String value = keyValue.substring(keyValue.indexOf('=') + 1);
            if (keyValue.contains("token") || keyValue.contains("password")) {
                assertFalse(!value.isEmpty() && message.contains(value), "the refusal shows no secret: " + message);
            }
        }
        return message;
    }

    @Test
    void noneSetMeansNone() {
        assertTrue(ObserveCredentials.of(settings()).isEmpty());
    }

    @Test
    void theTokenIsABearerToken() {
        ObserveCredentials credentials = ObserveCredentials.of(settings("migration.http.token=" + TOKEN)).orElseThrow();
        assertTrue(credentials.admits("Bearer " + TOKEN));
        assertTrue(credentials.admits("bearer " + TOKEN), "the scheme is case-insensitive (RFC 7235)");
        assertFalse(credentials.admits(null));
        assertFalse(credentials.admits(""));
        assertFalse(credentials.admits(TOKEN), "no scheme");
        assertFalse(credentials.admits("Bearer " + TOKEN + "x"));
        assertFalse(credentials.admits("Bearer " + TOKEN.substring(1)));
        assertFalse(credentials.admits("Bearer"));
        assertFalse(credentials.admits(basic("any", TOKEN)), "basic auth is not configured");
        assertEquals(List.of("Bearer realm=\"minio-migrator\""), credentials.challenges());
        assertFalse(credentials.toString().contains(TOKEN));
    }

    @Test
    void theUserNameAndPasswordAreBasicAuth() {
        ObserveCredentials credentials = ObserveCredentials.of(settings("migration.http.username=prometheus",
                "migration.http.password=" + PASSWORD)).orElseThrow();
        assertTrue(credentials.admits(basic("prometheus", PASSWORD)));
        assertFalse(credentials.admits(basic("prometheus", PASSWORD + "x")));
        assertFalse(credentials.admits(basic("grafana", PASSWORD)));
        assertFalse(credentials.admits("Basic not-base64!"));
        assertFalse(credentials.admits("Bearer " + PASSWORD), "no token is configured");
        assertTrue(credentials.challenges().get(0).startsWith("Basic realm="));
        assertFalse(credentials.describe().contains(PASSWORD));
    }

    @Test
    void bothSetEitherWorks() {
        ObserveCredentials credentials = ObserveCredentials.of(settings("migration.http.token=" + TOKEN, "migration.http.username=prometheus",
                "migration.http.password=" + PASSWORD)).orElseThrow();
        assertTrue(credentials.admits("Bearer " + TOKEN));
        assertTrue(credentials.admits(basic("prometheus", PASSWORD)));
        assertFalse(credentials.admits("Bearer " + PASSWORD));
        assertFalse(credentials.admits(basic("prometheus", TOKEN)));
        assertEquals(2, credentials.challenges().size());
    }

    @Test
    void weakOrHalfSetCredentialsAreRefusedByName() {
        assertTrue(refusal("migration.http.token=short").contains("migration.http.token must be at least 16 characters"));
        assertTrue(refusal("migration.http.token=with space 0123456789").contains("MIGRATION_HTTP_TOKEN"));
        assertTrue(refusal("migration.http.username=prometheus").contains("migration.http.username is set without migration.http.password"));
        assertTrue(refusal("migration.http.password=" + PASSWORD).contains("migration.http.password is set without migration.http.username"));
        assertTrue(refusal("migration.http.username=prometheus", "migration.http.password=short-secret")
                .contains("migration.http.password must be at least 16 characters"));
        assertTrue(refusal("migration.http.username=a:b", "migration.http.password=" + PASSWORD).contains("may not contain ':'"));
    }
}
