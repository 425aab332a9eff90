package io.github.miniomigrator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.command.Preflight;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** migration.include / migration.exclude: rclone's glob syntax over keys relative to the mapping, one regex per pattern. */
class KeyFilterTest {

    /** pattern, key, whether the pattern matches the key. */
    static Stream<Arguments> globs() {
        return Stream.of(
                // * stops at '/', ** does not
                Arguments.of("*.tmp", "a.tmp", true),
                Arguments.of("*.tmp", "x/y/a.tmp", true),
                Arguments.of("*.tmp", "a.tmp.gz", false),
                Arguments.of("/*.tmp", "x/a.tmp", false),
                Arguments.of("/*.tmp", "a.tmp", true),
                Arguments.of("/logs/**", "logs/2024/01/a.gz", true),
                Arguments.of("/logs/*", "logs/2024/01/a.gz", false),
                Arguments.of("/logs/*", "logs/a.gz", true),
                Arguments.of("/**.gz", "a/b/c.gz", true),
                // ? is one character, never '/'
                Arguments.of("/a?c", "abc", true),
                Arguments.of("/a?c", "a/c", false),
                Arguments.of("/a?c", "abbc", false),
                // classes and alternatives
                Arguments.of("/[abc].txt", "b.txt", true),
                Arguments.of("/[abc].txt", "d.txt", false),
                Arguments.of("/[a-z]1", "q1", true),
                Arguments.of("/[a-z]1", "Q1", false),
                Arguments.of("/[!a-z]1", "Q1", true),
                Arguments.of("/[!a-z]1", "/1", false),
                Arguments.of("*.{jpg,png}", "p/a.png", true),
                Arguments.of("*.{jpg,png}", "p/a.gif", false),
                Arguments.of("/{cache,tmp}/*", "tmp/a", true),
                Arguments.of("/{cache,tmp}/*", "logs/a", false),
                // unanchored: the key's last path elements, at any depth, whole elements only
                Arguments.of("cache/*", "cache/a", true),
                Arguments.of("cache/*", "x/y/cache/a", true),
                Arguments.of("cache/*", "xcache/a", false),
                Arguments.of("a.txt", "ba.txt", false),
                // anchored: from the mapping's root only
                Arguments.of("/cache/*", "x/cache/a", false),
                // a trailing '/' takes the directory and everything below it
                Arguments.of("/cache/", "cache/a", true),
                Arguments.of("/cache/", "cache/x/y/z", true),
                Arguments.of("/cache/", "cache", false),
                Arguments.of("/cache/", "cachet/a", false),
                Arguments.of("tmp/", "a/b/tmp/c/d", true),
                Arguments.of("tmp/", "a/btmp/c", false),
                // literal characters: regex syntax means nothing, a backslash escapes a wildcard
                Arguments.of("/a+b(1).txt", "a+b(1).txt", true),
                Arguments.of("/a.b", "axb", false),
                Arguments.of("/what\\?", "what?", true),
                Arguments.of("/what\\?", "whatx", false),
                // Chinese keys and keys with spaces
                Arguments.of("/发票/**", "发票/2024/一月.pdf", true),
                Arguments.of("*.临时", "目录/文件.临时", true),
                Arguments.of("/发?", "发票", true),
                Arguments.of("/[发收]票", "收票", true),
                Arguments.of("/my docs/*.pdf", "my docs/a b.pdf", true),
                Arguments.of("* copy.txt", "dir/a copy.txt", true),
                Arguments.of("/😀?", "😀😀", true));
    }

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @MethodSource("globs")
    void matchesAsRcloneDoes(String pattern, String key, boolean matches) {
        assertEquals(matches, KeyFilter.compile(pattern).matcher(key).matches());
        assertEquals(matches, KeyFilter.of(pattern, "").inScope(key), "as an include");
        assertEquals(!matches, KeyFilter.of("", pattern).inScope(key), "as an exclude");
    }

    @Test
    void aKeyIsInScopeWhenOneIncludeAndNoExcludeMatch() {
        KeyFilter filter = KeyFilter.of("/invoices/**, *.pdf", "*.tmp,/invoices/draft/");
        assertTrue(filter.inScope("invoices/2024/a.xml"));
        assertTrue(filter.inScope("reports/a.pdf"));
        assertFalse(filter.inScope("reports/a.xml"), "no include matches");
        assertFalse(filter.inScope("invoices/2024/a.tmp"), "an exclude matches");
        assertFalse(filter.inScope("invoices/draft/a.pdf"), "an exclude wins over an include");
        assertTrue(KeyFilter.ALL.inScope("anything/at all"));
        assertTrue(KeyFilter.of(" , ", " ").inScope("x/y.tmp"), "blank patterns are none");
    }

    @Test
    void theValueSplitsAtCommasOutsideBraces() {
        assertEquals(List.of("*.{jpg,png}", "/cache/", "a\\,b"), KeyFilter.split(" *.{jpg,png} ,/cache/,, a\\,b"));
        assertTrue(KeyFilter.of("", "/a\\,b").inScope("a"));
        assertFalse(KeyFilter.of("", "/a\\,b").inScope("a,b"));
    }

    @Test
    void anInvalidPatternFailsThePreflightNamingTheSettingAndThePattern() {
        for (String bad : List.of("/a[bc", "*.{jpg,png", "{a,{b}}", "a}")) {
            SettingsException e = assertThrows(SettingsException.class, () -> KeyFilter.of("", "ok," + bad));
            assertTrue(e.getMessage().startsWith("migration.exclude: the pattern '" + bad + "' is not a glob"), e.getMessage());
        }
        Settings settings = new Settings(Map.of("migration.buckets", "archive:oss-archive", "migration.source.endpoint", "http://minio:9000",
                "migration.source.access-key", "r", "migration.source.secret-key", "s", "migration.target.endpoint", "http://oss:9000",
                "migration.target.access-key", "w", "migration.target.secret-key", "t", "migration.include", "/logs/[0-9"));
        SettingsException e = assertThrows(SettingsException.class, () -> Preflight.checkSettings(settings));
        assertTrue(e.getMessage().contains("migration.include: the pattern '/logs/[0-9' is not a glob: a '[' is not closed by ']'"), e.getMessage());
    }
}
