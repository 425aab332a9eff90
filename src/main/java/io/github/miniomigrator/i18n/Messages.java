package io.github.miniomigrator.i18n;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one catalogue of operator-facing messages, in English and Chinese: {@code i18n/<area>_<lang>.properties} in the
 * jar (UTF-8), an area per audience (cli: the command line's lines; console: the console page). A message is a key and
 * a text with {0}, {1} … placeholders; unlike MessageFormat an apostrophe is just an apostrophe and numbers are not
 * reformatted (they are formatted before, in the units the tool prints everywhere). MessagesTest checks that every key
 * is in both languages with the same placeholders and that every key the code asks for exists.
 *
 * <p>The language is chosen once per process from migration.language ({@link #use}); English until then.
 */
public final class Messages {
    /** The areas of the catalogue: one properties file per area and language. */
    public static final Set<String> AREAS = Set.of("cli", "console");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\d+)}");
    private static final Map<Language, Messages> LOADED = new EnumMap<>(Language.class);
    private static volatile Messages current;

    private final Language language;
    private final Map<String, String> texts;

    private Messages(Language language, Map<String, String> texts) {
        this.language = language;
        this.texts = texts;
    }

    /** The catalogue in this language. */
    public static synchronized Messages of(Language language) {
        return LOADED.computeIfAbsent(language, Messages::load);
    }

    /** Chooses the process's language: every later {@link #text} speaks it. */
    public static void use(Language language) {
        current = of(language);
    }

    /** The process's catalogue: English until {@link #use} chose another. */
    public static Messages current() {
        Messages chosen = current;
        if (chosen == null) {
            chosen = of(Language.EN);
            current = chosen;
        }
        return chosen;
    }

    /** The process's text for this key, its placeholders filled. */
    public static String text(String key, Object... arguments) {
        return current().get(key, arguments);
    }

    public Language language() {
        return language;
    }

    /**
     * This catalogue's text for the key, {n} replaced by the n-th argument ({@code String.valueOf}).
     *
     * @throws IllegalArgumentException for a key the catalogue lacks — a programming error MessagesTest catches first
     */
    public String get(String key, Object... arguments) {
        String text = texts.get(key);
        if (text == null) {
            throw new IllegalArgumentException("no message '" + key + "' in the " + language.code() + " catalogue");
        }
        return fill(text, arguments);
    }

    /** The text with {n} replaced by the n-th argument; a placeholder without an argument stays as it is. */
    static String fill(String text, Object... arguments) {
        if (arguments.length == 0) {
            return text;
        }
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder filled = new StringBuilder(text.length() + 32);
        while (m.find()) {
            int index = Integer.parseInt(m.group(1));
            m.appendReplacement(filled, Matcher.quoteReplacement(index < arguments.length ? String.valueOf(arguments[index]) : m.group()));
        }
        m.appendTail(filled);
        return filled.toString();
    }

    /** Every text of one area, key to text (the console page takes its words from here). */
    public Map<String, String> area(String area) {
        String prefix = area + ".";
        Map<String, String> found = new LinkedHashMap<>();
        texts.forEach((key, text) -> {
            if (key.startsWith(prefix)) {
                found.put(key.substring(prefix.length()), text);
            }
        });
        return found;
    }

    /** Every key of this catalogue, area-prefixed (cli.x, console.y). */
    public Set<String> keys() {
        return Collections.unmodifiableSet(new TreeSet<>(texts.keySet()));
    }

    /** The placeholder numbers a text uses. */
    static Set<Integer> placeholders(String text) {
        Set<Integer> found = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            found.add(Integer.parseInt(m.group(1)));
        }
        return found;
    }

    private static Messages load(Language language) {
        Map<String, String> texts = new LinkedHashMap<>();
        for (String area : new TreeSet<>(AREAS)) {
            String resource = "/i18n/" + area + "_" + language.code() + ".properties";
            try (InputStream in = Messages.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("the jar lacks " + resource);
                }
                Properties properties = new Properties();
                properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
                properties.stringPropertyNames().forEach(key -> texts.put(area + "." + key, properties.getProperty(key)));
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + resource, e);
            }
        }
        return new Messages(language, Map.copyOf(texts));
    }
}
