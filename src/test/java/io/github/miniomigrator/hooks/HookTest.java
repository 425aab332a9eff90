package io.github.miniomigrator.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.config.SettingsException;
import io.github.miniomigrator.cutover.CutoverResult;
import io.github.miniomigrator.i18n.Language;
import io.github.miniomigrator.i18n.Messages;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The hooks' settings, the properties their preconditions read, and what each payload says. */
class HookTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void english() {
        Messages.use(Language.EN);
    }

    @AfterEach
    void back() {
        Messages.use(Language.EN);
    }

    private static Settings settings(String... pairs) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            values.put(pairs[i], pairs[i + 1]);
        }
        return new Settings(values);
    }

    @Test
    void eachHookIsEnabledExactlyWhenItsSettingNamesAnEndpoint() {
        Properties properties = new Properties();
        Hook.addProperties(settings("migration.hooks.copy-failed", "direct:robot", "migration.hooks.pass-finished", "  "), properties);
        assertEquals("true", properties.get("minio-migrator.hooks.copy-failed-enabled"));
        assertEquals("false", properties.get("minio-migrator.hooks.pass-finished-enabled"), "blank is unset");
        for (Hook hook : Hook.values()) {
            assertTrue(properties.containsKey(hook.enabledProperty()), hook.enabledProperty());
            assertEquals("migration.hooks." + hook.hookName(), hook.setting().key());
            assertTrue(hook.setting().secret(), "a hook's URI may carry a key: " + hook);
        }
        assertEquals("false", properties.get("minio-migrator.robot-enabled"));
    }

    @Test
    void endpointUrisPassAndAnythingElseIsRefusedByNameNeverByValue() {
        for (String uri : new String[] {"direct:robot", "kafka:keys?brokers=k:9092", "file:/var/lib/h?fileName=${exchangeId}.json",
                "https://hooks.example.com/x?token=abc", "seda:copied"}) {
            Hook.check(settings("migration.hooks.object-copied", uri, "migration.hooks.robot-url", "https://r.example/send?key=k"));
        }
        for (String bad : new String[] {"wecom-bot", "our robot secret-42", ":nothing", "1kafka:x"}) {
            SettingsException e = assertThrows(SettingsException.class, () -> Hook.check(settings("migration.hooks.object-copied", bad)));
            assertTrue(e.getMessage().startsWith("migration.hooks.object-copied is not a Camel endpoint URI"), e.getMessage());
            assertFalse(e.getMessage().contains(bad), "the value is a secret: " + e.getMessage());
        }
        SettingsException noRobot = assertThrows(SettingsException.class, () -> Hook.check(settings("migration.hooks.pass-finished", "direct:robot")));
        assertTrue(noRobot.getMessage().contains("migration.hooks.robot-url") && noRobot.getMessage().contains("MIGRATION_HOOKS_ROBOT_URL"),
                noRobot.getMessage());
        SettingsException notHttp = assertThrows(SettingsException.class, () -> Hook.check(settings("migration.hooks.robot-url", "qyapi.weixin.qq.com/x")));
        assertTrue(notHttp.getMessage().startsWith("migration.hooks.robot-url is not an http(s) address"), notHttp.getMessage());
    }

    @Test
    void anObjectsOutcomeSaysWhatHappenedInJsonAndInALine() throws Exception {
        BucketMapping mapping = new BucketMapping("archive", "oss-archive", "2024/");
        ObjectOutcome failed = ObjectOutcome.of(ObjectOutcome.FAILED, mapping, "发票/一月.pdf", 12, "e1", "403 AccessDenied \"no\"");
        JsonNode json = JSON.readTree(failed.json());
        assertEquals("FAILED", json.get("outcome").asText());
        assertEquals("发票/一月.pdf", json.get("key").asText());
        assertEquals("2024/发票/一月.pdf", json.get("targetKey").asText());
        assertEquals("403 AccessDenied \"no\"", json.get("reason").asText(), "escaped, not broken: " + failed.json());
        assertEquals("minio-migrator: could not copy archive/发票/一月.pdf to oss-archive/2024/发票/一月.pdf: 403 AccessDenied \"no\"", failed.line());
        assertEquals("minio-migrator: copied archive/a to oss-archive/2024/a (3 bytes)",
                ObjectOutcome.of(ObjectOutcome.COPIED, mapping, "a", 3, "e", null).line());
        assertEquals("minio-migrator: deleted oss-archive/2024/a (the source no longer has it)",
                ObjectOutcome.of(ObjectOutcome.DELETED, mapping, "a", -1, null, null).line());
        Messages.use(Language.ZH);
        assertEquals("minio-migrator：无法删除 oss-archive/2024/a：503 SlowDown",
                ObjectOutcome.of(ObjectOutcome.DELETE_FAILED, mapping, "a", -1, null, "503 SlowDown").line());
    }

    @Test
    void aCutoversResultCarriesWhyButNeverTheErrorObject() throws Exception {
        CutoverResult refused = CutoverResult.ended(CutoverResult.EXIT_REFUSED, "Cutover refused: not drained", null);
        assertEquals("REFUSED", refused.outcome());
        assertEquals("minio-migrator: cutover refused, nothing switched: Cutover refused: not drained", refused.line());
        CutoverResult thrown = CutoverResult.thrown(new IllegalStateException("zk down"), "zk down");
        JsonNode json = JSON.readTree(thrown.json());
        assertEquals("FAILED", json.get("outcome").asText());
        assertEquals(2, json.get("exitCode").asInt());
        assertFalse(json.has("thrown"), thrown.json());
        CutoverResult done = CutoverResult.cutOver("oss-archive/2024/", "/var/lib/r/cutover-backup-1.json");
        assertEquals("minio-migrator: cutover done, the application now uses oss-archive/2024/; to go back: rollback --backup "
                + "/var/lib/r/cutover-backup-1.json", done.line());
    }

    @Test
    void aHookEndpointsUrlInAWarningKeepsOnlyItsHost() {
        assertEquals("HTTP operation failed invoking https://open.feishu.cn/… with statusCode: 500", HookMessages.withoutUrlPaths(
                "HTTP operation failed invoking https://open.feishu.cn/open-apis/bot/v2/hook/0a1b2c3d?x=1 with statusCode: 500"));
        assertEquals("refused by http://127.0.0.1:9/…", HookMessages.withoutUrlPaths("refused by http://127.0.0.1:9/cgi-bin/webhook/send?key=k"));
        assertEquals("Connection refused", HookMessages.withoutUrlPaths("Connection refused"));
    }
}
