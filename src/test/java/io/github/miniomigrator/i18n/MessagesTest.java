package io.github.miniomigrator.i18n;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class MessagesTest {
    /** How code asks for a message: Messages.text("cli.x", …), messages.get("cli.x", …), the console's t('x') / data-i18n="x". */
    private static final Pattern JAVA_KEY = Pattern.compile("(?:text|get|reason)\\(\\s*\"((?:cli|console)\\.[A-Za-z0-9.\\-]+)\"");
    private static final Pattern CONSOLE_KEY = Pattern.compile("(?:\\bt\\(\\s*['\"]|data-i18n=\")([A-Za-z0-9\\-]+(?:\\.[A-Za-z0-9\\-]+)*)['\"]");

    @Test
    void everyKeyIsInBothLanguagesWithTheSamePlaceholders() {
        Messages en = Messages.of(Language.EN);
        Messages zh = Messages.of(Language.ZH);
        Set<String> onlyEnglish = new TreeSet<>(en.keys());
        onlyEnglish.removeAll(zh.keys());
        Set<String> onlyChinese = new TreeSet<>(zh.keys());
        onlyChinese.removeAll(en.keys());
        assertEquals(Set.of(), onlyEnglish, "keys with no Chinese text");
        assertEquals(Set.of(), onlyChinese, "keys with no English text");
        List<String> mismatched = new ArrayList<>();
        for (String key : en.keys()) {
            if (!Messages.placeholders(en.get(key)).equals(Messages.placeholders(zh.get(key)))) {
                mismatched.add(key + ": en " + Messages.placeholders(en.get(key)) + ", zh " + Messages.placeholders(zh.get(key)));
            }
            assertTrue(!zh.get(key).isBlank() && !en.get(key).isBlank(), key + " is empty");
        }
        assertEquals(List.of(), mismatched, "placeholders differ");
    }

    @Test
    void everyKeyTheCodeAsksForExists() throws IOException {
        Set<String> known = Messages.of(Language.EN).keys();
        Set<String> missing = new TreeSet<>();
        int asked = 0;
        try (Stream<Path> files = Files.walk(Path.of("src/main"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = file.getFileName().toString();
                String text = Files.readString(file);
                if (name.endsWith(".java")) {
                    Matcher m = JAVA_KEY.matcher(text);
                    while (m.find()) {
                        asked++;
                        if (!known.contains(m.group(1))) {
                            missing.add(m.group(1) + " (" + file + ")");
                        }
                    }
                } else if (file.toString().contains("/console/") && (name.endsWith(".js") || name.endsWith(".html"))) {
                    Matcher m = CONSOLE_KEY.matcher(text);
                    while (m.find()) {
                        asked++;
                        if (!known.contains("console." + m.group(1))) {
                            missing.add("console." + m.group(1) + " (" + file + ")");
                        }
                    }
                }
            }
        }
        assertEquals(Set.of(), missing, "keys asked for that the catalogue lacks");
        assertTrue(asked >= 0);
    }

    /** A key built or chosen in code (Messages.text(ok ? "a" : "b")) escapes the scan above: every key is a literal. */
    @Test
    void theCodeAsksForEveryKeyByItsLiteralName() throws IOException {
        Pattern computed = Pattern.compile("Messages\\.text\\(\\s*[^\"\\s]");
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java") && !f.endsWith("Messages.java")).toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    if (computed.matcher(lines.get(i)).find()) {
                        found.add(file + ":" + (i + 1) + ": " + lines.get(i).strip());
                    }
                }
            }
        }
        assertEquals(List.of(), found, "Messages.text with a key that is not a literal");
    }

    @Test
    void theConsoleHasAWordForEveryPhaseAndResult() {
        Messages en = Messages.of(Language.EN);
        for (String phase : List.of("waiting", "full-pass", "catch-up-pass", "syncing", "drained", "cut-over", "fallback", "fallback-pass")) {
            assertTrue(en.keys().contains("console.phase." + phase), phase);
        }
        for (String result : List.of("ok", "failed", "identical", "differences", "could-not-compare")) {
            assertTrue(en.keys().contains("console.result." + result), result);
        }
        for (int code = 0; code <= 2; code++) {
            assertTrue(en.keys().contains("console.cutover.last." + code));
        }
    }

    @Test
    void placeholdersAreFilledAndApostrophesKept() {
        Messages en = Messages.of(Language.EN);
        assertTrue(en.get("cli.language.chosen").startsWith("Output in English"));
        assertThrows(IllegalArgumentException.class, () -> en.get("cli.no-such-key"));
        assertEquals("it's 3 of 4 ($1 \\ {9})", Messages.fill("it's {0} of {1} ({2} {9})", 3, 4, "$1 \\"));
        assertTrue(Messages.of(Language.ZH).area("console").get("title").contains("控制台"));
    }

    @Test
    void theLanguageComesFromTheSettingThenTheLocale() {
        assertEquals(Language.ZH, Language.of("zh", Map.of(), Locale.ENGLISH));
        assertEquals(Language.EN, Language.of("en", Map.of("LANG", "zh_CN.UTF-8"), Locale.CHINA));
        assertEquals(Language.ZH, Language.of("auto", Map.of("LANG", "zh_CN.UTF-8"), Locale.ENGLISH));
        assertEquals(Language.EN, Language.of("", Map.of("LC_ALL", "C.UTF-8", "LANG", "zh_CN.UTF-8"), Locale.CHINA));
        assertEquals(Language.ZH, Language.of("", Map.of(), Locale.CHINA));
        assertEquals(Language.EN, Language.of("", Map.of(), Locale.US));
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> Language.of("fr", Map.of(), Locale.US));
        assertTrue(wrong.getMessage().contains("migration.language") && wrong.getMessage().contains("zh"), wrong.getMessage());
        assertEquals(Language.ZH, Language.fromAcceptLanguage("zh-CN,zh;q=0.9,en;q=0.8"));
        assertEquals(Language.EN, Language.fromAcceptLanguage("en-US,en;q=0.9,zh;q=0.5"));
        assertEquals(Language.EN, Language.fromAcceptLanguage("fr-FR;q=0.9,???"));
        assertEquals(Language.EN, Language.fromAcceptLanguage(null));
    }
}
