package io.github.miniomigrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.config.SettingsLoader;
import io.github.miniomigrator.demo.DemoCommand;
import io.github.miniomigrator.i18n.Language;
import io.github.miniomigrator.i18n.Messages;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo, the first thing a new user runs, with migration.language=zh: its own lines are Chinese (JarIT reads the English). */
@Tag("cluster")
class ChineseDemoIT {
    /** The demo's own English sentences: none may be left. */
    private static final Pattern ENGLISH = Pattern.compile("Demo:|== Step|Seeded|The application|The tool applied|The console says"
            + "|ZooKeeper (before|after)|The reports of|Demo finished|While run runs");

    @TempDir
    Path dir;

    @AfterEach
    void backToEnglish() {
        Messages.use(Language.EN); // the JVM is shared: the next test reads English
    }

    @Test
    void theDemoSpeaksChinese() throws Exception {
        Path config = dir.resolve("empty.properties");
        Files.writeString(config, "");
        Messages.use(Language.ZH);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int code = DemoCommand.run(SettingsLoader.load(config, Map.of(), List.of("migration.language=zh")),
                new PrintStream(buffer, true, StandardCharsets.UTF_8));
        String output = buffer.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, output);
        assertTrue(output.startsWith("演示：在内置服务器上走一遍迁移手册。模拟 MinIO 的源端："), output);
        assertTrue(output.contains("== 第 2 步：全量复制 =="), output);
        assertTrue(output.contains("工具已将这些变更同步到 oss-temp：5 张新发票中已有 5 张，a&b#c.txt 已删除。"), output);
        assertTrue(output.contains("切换后 ZooKeeper：storeType=4") && output.contains("回退后 ZooKeeper：storeType=2"), output);
        assertTrue(output.contains("演示完成：复制、同步、校验、切换、冒烟测试"), output);
        assertFalse(ENGLISH.matcher(output).find(), "English left in: " + output);
    }
}
