package io.github.miniomigrator.cutover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.config.SettingsException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The cutover plan's lines: what each becomes (value, secret or not), and each kind of line it refuses, with the line named. */
class CutoverPlanTest {
    static final Settings SETTINGS = new Settings(Map.of("migration.target.secret-key", "s3cr3t",
            "migration.target.endpoint", "https://oss-cn-hangzhou.aliyuncs.com"));
    static final Map<String, String> ENVIRONMENT = Map.of("OSS_KEY", "from-env");

    static CutoverPlan.Entry only(String line) {
        List<CutoverPlan.Entry> entries = CutoverPlan.parse(List.of(line), "plan", SETTINGS, ENVIRONMENT).entries();
        assertEquals(1, entries.size());
        return entries.get(0);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            /api-archive/pri=storeType=4                              | /api-archive/pri | storeType   | 4                                          | false
            '  /a/b = key = spaced value  '                           | /a/b             | key         | spaced value                               | false
            /a=url=https://x/?q=1                                     | /a               | url         | https://x/?q=1                             | false
            /a=empty=                                                 | /a               | empty       | ''                                         | false
            /a=secretKey=plain                                        | /a               | secretKey   | plain                                      | true
            /a=dbPassword=plain                                       | /a               | dbPassword  | plain                                      | true
            /a=apiToken=plain                                         | /a               | apiToken    | plain                                      | true
            /a=key={{env:OSS_KEY}}                                    | /a               | key         | from-env                                   | true
            /a=endpoint={{migration.target.endpoint}}                 | /a               | endpoint    | https://oss-cn-hangzhou.aliyuncs.com       | false
            /a=key={{migration.target.secret-key}}                    | /a               | key         | s3cr3t                                     | true
            /a=conn=id:{{ migration.target.endpoint }}/{{env:OSS_KEY}} | /a              | conn        | id:https://oss-cn-hangzhou.aliyuncs.com/from-env | true
            """)
    void eachLineBecomesAnEntry(String line, String path, String key, String value, boolean secret) {
        CutoverPlan.Entry entry = only(line);
        assertEquals(List.of(path, key, value, secret), List.of(entry.path(), entry.key(), entry.value(), entry.secret()));
        assertEquals(secret ? "****" : value, entry.shown());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no second equals sign        | /a=4                              | is not znodePath=KEY=VALUE
            no path                      | =storeType=4                      | is not znodePath=KEY=VALUE
            a relative path              | a/b=storeType=4                   | needs an absolute znode path
            a trailing slash             | /a/=storeType=4                   | needs an absolute znode path
            a double slash               | /a//b=storeType=4                 | needs an absolute znode path
            an empty key                 | /a==4                             | needs an absolute znode path
            a key with a slash           | /a=x/y=4                          | needs an absolute znode path
            an unset variable            | /a=k={{env:NOT_THERE}}            | {{env:NOT_THERE}} is not set in the environment
            an unknown setting           | /a=k={{migration.nothing}}        | is neither {{env:NAME}} nor a migration.* setting
            an empty setting             | /a=k={{migration.source.endpoint}} | is empty; set migration.source.endpoint
            """)
    void eachMalformedLineIsRefusedByNumber(String what, String line, String message) {
        SettingsException e = assertThrows(SettingsException.class,
                () -> CutoverPlan.parse(List.of("# the switch", "", line), "plan.txt", SETTINGS, ENVIRONMENT));
        assertTrue(e.getMessage().startsWith("plan.txt line 3: "), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void aKeySetTwiceOnOneNodeIsRefusedButNotOnTwoNodes() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> CutoverPlan.parse(List.of("/a=storeType=4", "/a=storeType=5"), "plan", SETTINGS, ENVIRONMENT));
        assertTrue(e.getMessage().contains("line 2: /a storeType is set twice"), e.getMessage());
        CutoverPlan plan = CutoverPlan.parse(List.of("/a=storeType=4", "/b=storeType=4", "/a=bucket=x"), "plan", SETTINGS, ENVIRONMENT);
        assertEquals(List.of("/a", "/b"), plan.paths(), "each node once, in the plan's order");
        assertEquals(List.of(1, 2, 3), plan.entries().stream().map(CutoverPlan.Entry::line).toList());
    }

    @Test
    void aPlanOfCommentsAndBlankLinesIsRefused() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> CutoverPlan.parse(List.of("# nothing yet", "   "), "plan", SETTINGS, ENVIRONMENT));
        assertTrue(e.getMessage().contains("holds no line to write"), e.getMessage());
    }

    @Test
    void secretValuesAreTheValuesOfSecretEntriesOnly() {
        CutoverPlan plan = CutoverPlan.parse(List.of("/a=storeType=4", "/a=key={{env:OSS_KEY}}", "/a=secret={{migration.target.secret-key}}"),
                "plan", SETTINGS, ENVIRONMENT);
        assertEquals(List.of("from-env", "s3cr3t"), plan.secretValues());
    }

    @ParameterizedTest
    @CsvSource({"node-per-key,node-per-key", "' Properties ',properties", "PROPERTIES,properties"})
    void layoutNames(String given, String expected) {
        assertEquals(expected, CutoverPlan.layoutName(given));
    }

    @Test
    void anUnknownLayoutIsRefused() {
        assertThrows(SettingsException.class, () -> CutoverPlan.layoutName("flat"));
    }
}
