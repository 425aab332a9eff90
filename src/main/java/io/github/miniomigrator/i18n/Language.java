package io.github.miniomigrator.i18n;

import java.util.Locale;
import java.util.Map;

/** The languages of the operator-facing output: English, and Chinese for the teams that follow the Chinese runbook. */
public enum Language {
    EN("en"),
    ZH("zh");

    private final String code;

    Language(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public Locale locale() {
        return this == ZH ? Locale.SIMPLIFIED_CHINESE : Locale.ENGLISH;
    }

    /**
     * The language migration.language asks for: en, zh, or auto — Chinese when the process runs under a Chinese locale
     * (LC_ALL, then LC_MESSAGES, then LANG, as POSIX orders them; else the JVM's default locale), English otherwise.
     *
     * @throws IllegalArgumentException for any other value, naming the ones allowed
     */
    public static Language of(String setting, Map<String, String> environment, Locale jvmDefault) {
        String asked = setting == null ? "" : setting.trim().toLowerCase(Locale.ROOT);
        return switch (asked) {
            case "en", "english" -> EN;
            case "zh", "zh-cn", "zh_cn", "chinese", "中文" -> ZH;
            case "", "auto" -> fromLocale(environment, jvmDefault);
            default -> throw new IllegalArgumentException("migration.language is '" + setting + "'; use auto (from the locale), en or zh");
        };
    }

    private static Language fromLocale(Map<String, String> environment, Locale jvmDefault) {
        for (String name : new String[] {"LC_ALL", "LC_MESSAGES", "LANG"}) {
            String value = environment.get(name);
            if (value != null && !value.isBlank()) {
                return value.toLowerCase(Locale.ROOT).startsWith("zh") ? ZH : EN;
            }
        }
        return jvmDefault != null && jvmDefault.getLanguage().equals("zh") ? ZH : EN;
    }

    /** The first of a browser's Accept-Language values the console speaks (q-values honoured), else English. */
    public static Language fromAcceptLanguage(String header) {
        if (header == null || header.isBlank()) {
            return EN;
        }
        try {
            for (Locale.LanguageRange range : Locale.LanguageRange.parse(header)) {
                String tag = range.getRange().toLowerCase(Locale.ROOT);
                if (tag.startsWith("zh")) {
                    return ZH;
                }
                if (tag.startsWith("en")) {
                    return EN;
                }
            }
        } catch (IllegalArgumentException malformed) {
            return EN;
        }
        return EN;
    }
}
