package io.github.miniomigrator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
    @TempDir
    Path dir;

    @Test
    void laterSourcesWin_fileThenEnvironmentThenArguments() throws Exception {
        Path file = dir.resolve("m.properties");
        Files.writeString(file, "migration.concurrency=3\nmigration.remove=true\nmigration.max-delete=7\n");
        Settings settings = SettingsLoader.load(file, Map.of("MIGRATION_CONCURRENCY", "5", "MIGRATION_MAX_DELETE", "9"),
                List.of("migration.max-delete=11"));
        assertEquals(5, settings.number(Setting.CONCURRENCY, 1, 100));
        assertEquals(11, settings.number(Setting.MAX_DELETE, -1, 100));
        assertTrue(settings.flag(Setting.REMOVE));
    }

    @Test
    void secretsComeFromTheEnvironment() throws Exception {
        Path file = dir.resolve("m.properties");
        Files.writeString(file, "");
        Settings settings = SettingsLoader.load(file, Map.of("MIGRATION_TARGET_SECRET_KEY", "s3cr3t-value"), List.of());
        assertEquals("s3cr3t-value", settings.required(Setting.TARGET_SECRET_KEY));
        assertEquals(List.of("s3cr3t-value"), settings.secretValues());
    }

    /** Kafka's pass-through family (migration.events.kafka.property.*) takes any name; a key beside it does not. */
    @Test
    void aMisspeltSettingIsRefusedWithASuggestion() throws Exception {
        Path file = dir.resolve("m.properties");
        Files.writeString(file, "");
        Map<String, String> misspelt = Map.of("migration.max-deletes=5", "migration.max-delete",
                "migration.events.kafka.topics=minio-events", "migration.events.kafka.topic");
        misspelt.forEach((argument, meant) -> {
            SettingsException e = assertThrows(SettingsException.class, () -> SettingsLoader.load(file, Map.of(), List.of(argument)));
            assertTrue(e.getMessage().contains("Did you mean " + meant + "?"), e.getMessage());
        });
    }

    /** A far or destructive neighbour is never suggested: migration.dry-run once answered "Did you mean migration.remove?". */
    @Test
    void noDestructiveSettingIsSuggestedForAFarTypo() throws Exception {
        Path file = dir.resolve("m.properties");
        Files.writeString(file, "");
        SettingsException dryRun = assertThrows(SettingsException.class,
                () -> SettingsLoader.load(file, Map.of(), List.of("migration.dry-run=true")));
        assertTrue(dryRun.getMessage().contains("migration.dry-run is not a setting"), dryRun.getMessage());
        assertTrue(dryRun.getMessage().contains("copy --dry-run"), dryRun.getMessage());
        for (String far : List.of("migration.delete=true", "migration.dry-run=true", "migration.cutover=true", "migration.rolback=true",
                "migration.deletes=10", "migration.x=1")) {
            SettingsException e = assertThrows(SettingsException.class, () -> SettingsLoader.load(file, Map.of(), List.of(far)));
            assertFalse(e.getMessage().contains("Did you mean"), far + ": " + e.getMessage());
            for (String destructive : List.of("migration.remove", "migration.max-delete", "migration.events.max-deletes", "migration.cutover.",
                    "migration.fallback.")) {
                assertFalse(e.getMessage().contains(destructive), far + ": " + e.getMessage());
            }
        }
        Map<String, String> nearExact = Map.of("migration.remov=true", "migration.remove", "migration.max-delet=5", "migration.max-delete",
                "migration.cutover.zookeper=zk:2181", "migration.cutover.zookeeper", "migration.concurency=4", "migration.concurrency");
        nearExact.forEach((argument, meant) -> {
            SettingsException e = assertThrows(SettingsException.class, () -> SettingsLoader.load(file, Map.of(), List.of(argument)));
            assertTrue(e.getMessage().contains("Did you mean " + meant + "?"), e.getMessage());
        });
    }

    /** A Chinese input method's comma, colon or space in migration.buckets: the character, where, and the ASCII one to type. */
    @Test
    void aFullWidthSeparatorInBucketsIsPointedAt() {
        Map<String, List<String>> typed = Map.of(
                "archive-temp:oss-temp\uFF0Carchive-pro:oss-pro", List.of("character 22 is '\uFF0C'", "U+FF0C", "after 'archive-temp:oss-temp'", "ASCII ','"),
                "archive-temp\uFF1Aoss-temp", List.of("character 13 is '\uFF1A'", "U+FF1A", "ASCII ':'"),
                "archive-temp:oss-temp,\u3000archive-pro", List.of("character 23", "U+3000", "ideographic space"));
        typed.forEach((value, expected) -> {
            SettingsException e = assertThrows(SettingsException.class, () -> new Settings(Map.of("migration.buckets", value)).mappings());
            expected.forEach(part -> assertTrue(e.getMessage().contains(part), part + " in: " + e.getMessage()));
            assertTrue(e.getMessage().startsWith("migration.buckets: "), e.getMessage());
        });
    }

    @Test
    void aMissingSecretNamesItsEnvironmentVariable() {
        SettingsException e = assertThrows(SettingsException.class, () -> new Settings(Map.of()).required(Setting.SOURCE_SECRET_KEY));
        assertTrue(e.getMessage().contains("MIGRATION_SOURCE_SECRET_KEY"), e.getMessage());
    }

    @Test
    void sizesAndBadNumbers() {
        assertEquals(8L << 20, Settings.parseBytes("k", "8MiB"));
        assertEquals(5L << 20, Settings.parseBytes("k", "5M"));
        assertEquals(1000, Settings.parseBytes("k", "1000"));
        assertThrows(SettingsException.class, () -> Settings.parseBytes("k", "lots"));
        SettingsException e = assertThrows(SettingsException.class,
                () -> new Settings(Map.of("migration.concurrency", "many")).number(Setting.CONCURRENCY, 1, 10));
        assertTrue(e.getMessage().contains("migration.concurrency=many"));
    }

    @Test
    void partsOfOneObjectInFlightAreEightByDefaultAndOneTo64() {
        assertEquals(8, new Settings(Map.of()).multipartConcurrency());
        assertEquals(1, new Settings(Map.of("migration.multipart.concurrency", "1")).multipartConcurrency());
        assertEquals(64, new Settings(Map.of("migration.multipart.concurrency", "64")).multipartConcurrency());
        for (String bad : List.of("0", "65", "-1", "four")) {
            SettingsException e = assertThrows(SettingsException.class,
                    () -> new Settings(Map.of("migration.multipart.concurrency", bad)).multipartConcurrency());
            assertTrue(e.getMessage().startsWith("migration.multipart.concurrency=" + bad + " is "), e.getMessage());
        }
        assertTrue(assertThrows(SettingsException.class, () -> new Settings(Map.of("migration.multipart.concurrency", "65"))
                .multipartConcurrency()).getMessage().contains("from 1 to 64"));
    }

    @Test
    void mappingsParse() {
        List<BucketMapping> mappings = BucketMapping.parseAll("archive-temp:oss-temp, archive-pro:oss-pro/2024, scans");
        assertEquals(new BucketMapping("archive-temp", "oss-temp", ""), mappings.get(0));
        assertEquals(new BucketMapping("archive-pro", "oss-pro", "2024/"), mappings.get(1));
        assertEquals(new BucketMapping("scans", "scans", ""), mappings.get(2));
        assertEquals("2024/a b.pdf", mappings.get(1).targetKey("a b.pdf"));
    }

    @Test
    void malformedMappingsAreRefused() {
        for (String bad : List.of("", " , ", "a:b:c", ":b", "a:", "a/p:b", "a:/p")) {
            SettingsException e = assertThrows(SettingsException.class, () -> BucketMapping.parseAll(bad), bad);
            assertTrue(e.getMessage().startsWith("migration.buckets"), e.getMessage());
        }
        SettingsException overlap = assertThrows(SettingsException.class, () -> BucketMapping.parseAll("a:t/x,b:t/x/y"));
        assertTrue(overlap.getMessage().contains("same place"), overlap.getMessage());
    }

    @Test
    void providerBucketRules() {
        assertTrue(Provider.OSS.bucketNameProblem("oss_temp").orElseThrow().contains("lowercase letters, digits and hyphens"));
        assertTrue(Provider.OSS.bucketNameProblem("oss-temp").isEmpty());
        assertTrue(Provider.OSS.bucketNameProblem("ab").isPresent());
        assertTrue(Provider.OSS.bucketNameProblem("-abc").isPresent());
        assertTrue(Provider.OSS.bucketNameProblem("Abc").isPresent());
        assertTrue(Provider.S3.bucketNameProblem("my.bucket").isEmpty());
        assertTrue(Provider.S3.bucketNameProblem("192.168.1.1").isPresent());
        assertTrue(Provider.OBS.bucketNameProblem("a..b").isPresent());
        assertTrue(Provider.GENERIC.bucketNameProblem("Any_Name").isEmpty());
    }

    @Test
    void providerMetadataKeys() {
        assertEquals("scan-id", Provider.OSS.metadataKey("scan_id"));
        assertEquals("owner", Provider.OSS.metadataKey("Owner"));
        assertEquals("scan_id", Provider.S3.metadataKey("scan_id"));
        assertThrows(SettingsException.class, () -> Provider.parse("azure"));
        assertEquals(Provider.OSS, Provider.parse(" OSS "));
    }

    @Test
    void addressingFollowsTheProviderUnlessSet() {
        assertEquals(false, new Settings(Map.of("migration.target.provider", "oss")).targetPathStyle());
        assertEquals(true, new Settings(Map.of("migration.target.provider", "minio")).targetPathStyle());
        assertEquals(true, new Settings(Map.of("migration.target.provider", "oss", "migration.target.path-style", "true")).targetPathStyle());
    }
}
