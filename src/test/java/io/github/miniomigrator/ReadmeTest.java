package io.github.miniomigrator;

import io.github.miniomigrator.command.Preflight;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.config.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** README's settings table is the one documented place: it must name every setting with the default the code uses. */
class ReadmeTest {
    @Test
    void everySettingIsDocumentedWithItsDefault() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        for (Setting setting : Setting.values()) {
            String cell = setting.defaultValue().isEmpty() ? "(none)" : "`" + setting.defaultValue() + "`";
            String row = "| `" + setting.key() + "` | " + cell + " |";
            assertTrue(readme.contains(row), "README lacks the row starting " + row);
        }
    }

    /** Every example configuration README gives (```properties blocks) passes the settings preflight as written. */
    @Test
    void everyExampleConfigurationPassesTheSettingsPreflight() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        java.util.regex.Matcher block = java.util.regex.Pattern.compile("```properties\n(.*?)```", java.util.regex.Pattern.DOTALL).matcher(readme);
        int examples = 0;
        while (block.find()) {
            java.util.Map<String, String> values = new java.util.LinkedHashMap<>(java.util.Map.of(
                    "migration.source.endpoint", "http://minio.internal:9000", "migration.source.access-key", "reader",
                    "migration.source.secret-key", "source-secret", "migration.target.access-key", "writer",
                    "migration.target.secret-key", "target-secret"));
            for (String line : block.group(1).split("\n")) {
                String trimmed = line.trim();
                if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                    values.put(trimmed.substring(0, trimmed.indexOf('=')), trimmed.substring(trimmed.indexOf('=') + 1));
                }
            }
            io.github.miniomigrator.config.Settings settings = new io.github.miniomigrator.config.Settings(values);
            Preflight.checkSettings(settings);
            Preflight.checkEventSettings(settings);
            io.github.miniomigrator.cluster.ClusterSettings.of(settings);
            io.github.miniomigrator.config.BucketDomains domains = io.github.miniomigrator.config.BucketDomains.of(settings);
            for (String bucket : settings.get(io.github.miniomigrator.config.Setting.TARGET_BUCKET_DOMAINS).replaceAll("=[^,]*", "").split(",")) {
                assertTrue(bucket.isEmpty() || domains.domainOf(bucket).isPresent(), bucket + " has its domain: " + block.group(1));
            }
            examples++;
        }
        assertTrue(examples >= 5, "README's OSS section gives its examples: " + examples);
    }

    @Test
    void readmeStartsWithTheTwoCommandsAndCiRunsTheTestOne() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        assertTrue(readme.contains("java -jar target/minio-migrator.jar demo"));
        assertTrue(Files.readString(Path.of(".ci", "run")).contains("mvn -B verify"));
        assertTrue(readme.contains("## 运维手册（中文）"));
    }
}
