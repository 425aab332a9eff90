package io.github.miniomigrator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** One range per bounded setting: its bounds are the ones accepted, and the words that state it say the same. */
class SettingRangeTest {
    private static final Pattern STATED = Pattern.compile("\\b(\\d[\\d,_]*) to (\\d[\\d,_]*)\\b");

    @ParameterizedTest
    @EnumSource(value = SettingRange.class, names = {"PART_SIZE", "MULTIPART_THRESHOLD"}, mode = EnumSource.Mode.EXCLUDE)
    void aWholeNumberIsTakenWithinItsRangeAndRefusedOutsideWithItsKey(SettingRange range) {
        String key = range.setting().key();
        assertEquals(range.min(), range.read(new Settings(Map.of(key, String.valueOf(range.min())))));
        assertEquals(range.max(), range.read(new Settings(Map.of(key, String.valueOf(range.max())))));
        SettingsException below = assertThrows(SettingsException.class,
                () -> range.read(new Settings(Map.of(key, String.valueOf(range.min() - 1)))));
        assertEquals(key + "=" + (range.min() - 1) + " is out of range: use a whole number from " + range.min() + " to " + range.max() + ".",
                below.getMessage());
        if (range.max() < Long.MAX_VALUE) {
            assertThrows(SettingsException.class, () -> range.read(new Settings(Map.of(key, String.valueOf(range.max() + 1)))));
        }
        assertTrue(range.min() <= Long.parseLong(validDefault(range)) && Long.parseLong(validDefault(range)) <= range.max(),
                key + "'s default lies outside its range");
    }

    private static String validDefault(SettingRange range) {
        String value = range.setting().defaultValue();
        return value.matches("-?\\d+") ? value : String.valueOf(range.min()); // migration.verify.sample also takes "all"
    }

    @Test
    void sizesAreTakenInTheirUnitsAndRefusedOutsideWithTheReason() {
        assertEquals(5L << 20, SettingRange.PART_SIZE.read(new Settings(Map.of("migration.multipart.part-size", "5MiB"))));
        assertEquals("migration.multipart.part-size=4MiB is out of range: parts are at least 5MiB (OSS, OBS and S3 refuse smaller) and at most 1GiB here.",
                assertThrows(SettingsException.class,
                        () -> SettingRange.PART_SIZE.read(new Settings(Map.of("migration.multipart.part-size", "4MiB")))).getMessage());
        assertEquals(0, SettingRange.MULTIPART_THRESHOLD.read(new Settings(Map.of("migration.multipart.threshold", "0"))));
        assertEquals("migration.multipart.threshold=2GiB is out of range: from 0 to 1GiB.", assertThrows(SettingsException.class,
                () -> SettingRange.MULTIPART_THRESHOLD.read(new Settings(Map.of("migration.multipart.threshold", "2GiB")))).getMessage());
    }

    /** A range written in a setting's description or its README row ("1 to 1024") is the range the code applies. */
    @Test
    void aRangeStatedInWordsIsTheRangeApplied() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int stated = 0;
        for (SettingRange range : SettingRange.values()) {
            String row = readme.lines().filter(line -> line.startsWith("| `" + range.setting().key() + "` |")).findFirst().orElse("");
            for (String words : new String[] {range.setting().description(), row}) {
                Matcher m = STATED.matcher(words);
                while (m.find()) {
                    stated++;
                    assertEquals(range.min() + " to " + range.max(), m.group(1).replaceAll("[,_]", "") + " to " + m.group(2).replaceAll("[,_]", ""),
                            range.setting().key() + " states a range its rule does not apply: " + words);
                }
            }
        }
        assertTrue(stated >= 4, "the concurrency ranges are stated in the descriptions and in README");
    }

    @Test
    void transferSettingsTakeTheDefaults() {
        TransferSettings transfers = TransferSettings.of(new Settings(Map.of("migration.buffer-memory", "64MiB")));
        assertEquals(new TransferSettings(16, 4, 8, 128L << 20, 8L << 20, 64L << 20, 4, false, 1000, "0"), transfers);
        assertEquals("all", TransferSettings.of(new Settings(Map.of("migration.verify.sample", "ALL"))).verifySample());
        assertEquals(8L << 20, TransferSettings.of(new Settings(Map.of("migration.buffer-memory", "1MiB"))).bufferBudget(),
                "the budget holds one part at least");
    }

    @Test
    void camelPropertiesCarryTheSettingsButNotKafkasClientProperties() {
        Settings settings = new Settings(Map.of("migration.concurrency", "3", "migration.events.kafka.property.sasl.jaas.config", "secret",
                "migration.events.mode", "webhook", "migration.http.port", "9090"));
        Properties copy = CamelProperties.of(settings, false, false);
        assertEquals("3", copy.getProperty("migration.concurrency"));
        assertFalse(copy.containsKey("migration.events.kafka.property.sasl.jaas.config"));
        assertEquals("false", copy.getProperty("minio-migrator.events-enabled"));
        assertEquals("false", copy.getProperty("minio-migrator.webhook-enabled"));
        assertFalse(copy.containsKey("camel.server.enabled"));

        Properties run = CamelProperties.of(settings, true, false);
        assertEquals("true", run.getProperty("minio-migrator.webhook-enabled"));
        assertEquals("9090", run.getProperty("camel.server.port"));
        assertEquals("9090", run.getProperty("camel.management.port"));
        assertEquals(CamelProperties.OBSERVE_PATH, run.getProperty("camel.management.path"));
        assertEquals("false", run.getProperty("minio-migrator.kafka-enabled"));
    }
}
