package io.github.miniomigrator.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Resolves settings in the order DESIGN.md gives, later winning: the jar's built-in application.properties, the
 * properties file (./application.properties, or --config FILE), environment variables, then key=value arguments.
 */
public final class SettingsLoader {
    public static final String PROPERTIES_FILE = "application.properties";

    private SettingsLoader() {
    }

    public static Settings load(Path configFile, Map<String, String> environment, List<String> arguments) {
        Map<String, String> values = new LinkedHashMap<>();
        readClasspathDefaults(values);
        Path file = configFile != null ? configFile : Path.of(PROPERTIES_FILE);
        if (configFile != null && !Files.isRegularFile(configFile)) {
            throw new SettingsException("--config " + configFile + ": no such file. Give the path of a properties file.");
        }
        if (Files.isRegularFile(file)) {
            readFile(file, values);
        }
        for (Setting setting : Setting.values()) {
            String fromEnvironment = environment.get(setting.environmentVariable());
            if (fromEnvironment != null) {
                values.put(setting.key(), fromEnvironment);
            }
        }
        environment.forEach((name, value) -> {
            String key = KafkaClientProperties.keyOf(name);
            if (key != null) {
                values.put(key, value);
            }
        });
        for (String argument : arguments) {
            int eq = argument.indexOf('=');
            if (eq <= 0) {
                throw new SettingsException("'" + argument + "' is not a setting: write key=value, e.g. migration.remove=true.");
            }
            values.put(argument.substring(0, eq).trim(), argument.substring(eq + 1));
        }
        rejectUnknown(values);
        return new Settings(values);
    }

    private static void readClasspathDefaults(Map<String, String> values) {
        try (InputStream in = SettingsLoader.class.getClassLoader().getResourceAsStream(PROPERTIES_FILE)) {
            if (in != null) {
                putAll(read(new java.io.InputStreamReader(in, StandardCharsets.UTF_8)), values);
            }
        } catch (IOException e) {
            throw new SettingsException("cannot read the built-in " + PROPERTIES_FILE + ": " + e.getMessage());
        }
    }

    private static void readFile(Path file, Map<String, String> values) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            putAll(read(reader), values);
        } catch (IOException e) {
            throw new SettingsException("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static Properties read(Reader reader) throws IOException {
        Properties properties = new Properties();
        properties.load(reader);
        return properties;
    }

    private static void putAll(Properties properties, Map<String, String> values) {
        properties.stringPropertyNames().stream().sorted().forEach(k -> values.put(k, properties.getProperty(k)));
    }

    /** A misspelt key would otherwise be ignored silently, and a default used in its place. */
    private static void rejectUnknown(Map<String, String> values) {
        for (String key : values.keySet()) {
            if (key.startsWith("migration.") && Setting.byKey(key).isEmpty() && !KafkaClientProperties.isProperty(key)) {
                throw new SettingsException(KeySuggestion.refusal(key));
            }
        }
    }
}
