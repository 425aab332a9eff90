package io.github.miniomigrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.i18n.Language;
import io.github.miniomigrator.i18n.Messages;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The locale of the environment the tool is started in chooses its language, unless migration.language says otherwise. */
class LanguageChoiceTest {
    @TempDir
    Path dir;

    @AfterEach
    void backToEnglish() {
        Messages.use(Language.EN); // the JVM is shared: the next test reads English
    }

    /** A copy whose settings fail before any store is reached (an empty target region): what it prints on err. */
    private String settingsError(Map<String, String> locale, String... more) throws Exception {
        Path config = dir.resolve("empty.properties");
        Files.writeString(config, "");
        List<String> args = new ArrayList<>(List.of("copy", "--config", config.toString(), "migration.source.endpoint=http://127.0.0.1:9",
                "migration.source.access-key=a", "migration.target.provider=generic", "migration.target.endpoint=http://127.0.0.1:9",
                "migration.target.access-key=b", "migration.buckets=src:dst", "migration.target.region="));
        args.addAll(List.of(more));
        Map<String, String> environment = new HashMap<>(Map.of("MIGRATION_SOURCE_SECRET_KEY", "source-secret",
                "MIGRATION_TARGET_SECRET_KEY", "target-secret"));
        environment.putAll(locale);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = MigratorApplication.run(args.toArray(String[]::new), environment,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(MigratorApplication.EXIT_CANNOT_START, code);
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aChineseLangChoosesChinese() throws Exception {
        String err = settingsError(Map.of("LANG", "zh_CN.UTF-8"));
        assertTrue(err.startsWith("error: migration.target.region 为空：请设置目标端存储的区域，例如"), err);
        assertTrue(err.contains("migration.target.region=us-east-1"), "the setting and its example value as they are: " + err);
    }

    @Test
    void lcAllAndTheSettingOverrideLang() throws Exception {
        assertTrue(settingsError(Map.of("LANG", "zh_CN.UTF-8", "LC_ALL", "en_US.UTF-8"))
                .startsWith("error: migration.target.region is empty: set the target store's region"));
        assertTrue(settingsError(Map.of("LANG", "zh_CN.UTF-8"), "migration.language=en")
                .startsWith("error: migration.target.region is empty: set the target store's region"));
        assertTrue(settingsError(Map.of("LANG", "en_US.UTF-8"), "migration.language=zh").startsWith("error: migration.target.region 为空"));
    }

    @Test
    void aMissingSettingIsNamedInChinese() throws Exception {
        String err = settingsError(Map.of("LANG", "zh_CN.UTF-8"), "migration.target.region=us-east-1", "migration.source.endpoint=");
        assertTrue(err.startsWith("error: migration.source.endpoint 未设置：请在 application.properties、环境变量（MIGRATION_SOURCE_ENDPOINT）"), err);
    }
}
