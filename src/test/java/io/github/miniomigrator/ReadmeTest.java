package io.github.miniomigrator;

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

    @Test
    void readmeStartsWithTheTwoCommandsAndCiRunsTheTestOne() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        assertTrue(readme.contains("java -jar target/minio-migrator.jar demo"));
        assertTrue(Files.readString(Path.of(".ci", "run")).contains("mvn -B verify"));
        assertTrue(readme.contains("## 运维手册（中文）"));
    }
}
