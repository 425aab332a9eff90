package io.github.miniomigrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.i18n.Language;
import io.github.miniomigrator.i18n.Messages;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The command line's own lines (usage, unknown command, misplaced flags) in the language the locale or the setting asks. */
class ChineseCommandLineTest {
    /** Words of the English usage: none may be left in the Chinese one. */
    private static final Pattern ENGLISH = Pattern.compile("\\b(usage|the|each|every|then|until|exit|stop|this text|Settings)\\b");

    private record Run(int code, String out, String err) {
    }

    @AfterEach
    void backToEnglish() {
        Messages.use(Language.EN); // the JVM is shared: the next test reads English
    }

    private static Run run(Map<String, String> environment, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = MigratorApplication.run(args, environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpFollowsTheLocale() {
        Run chinese = run(Map.of("LANG", "zh_CN.UTF-8"), "help");
        assertEquals(0, chinese.code());
        assertTrue(chinese.out().startsWith("用法：target/minio-migrator <命令> [--config 文件] [键=值 ...]"), chinese.out());
        assertTrue(chinese.out().contains("\n  copy      [--dry-run] 对 migration.buckets 中的每个映射做一轮全量复制，然后退出\n"), chinese.out());
        assertTrue(chinese.out().contains("\n  demo      在内置服务器上演示完整的迁移手册"), chinese.out());
        assertFalse(ENGLISH.matcher(chinese.out()).find(), "English left in: " + chinese.out());

        Run english = run(Map.of("LANG", "en_US.UTF-8"), "--help");
        assertTrue(english.out().startsWith("usage: target/minio-migrator <command> [--config FILE] [key=value ...]   "
                + "(or java -jar target/minio-migrator.jar ...)\n  check     the settings, then each permission"), english.out());
        assertTrue(english.out().endsWith("\n  help      this text\nSettings: application.properties (or --config FILE), then environment "
                + "variables\n(MIGRATION_SOURCE_SECRET_KEY for migration.source.secret-key), then key=value arguments.\n"), english.out());

        Run asked = run(Map.of("LANG", "en_US.UTF-8", "MIGRATION_LANGUAGE", "zh"), "help");
        assertTrue(asked.out().startsWith("用法："), "MIGRATION_LANGUAGE over the locale: " + asked.out());
        Run argument = run(Map.of("LANG", "zh_CN.UTF-8"), "help", "migration.language=en");
        assertTrue(argument.out().startsWith("usage: "), "the setting as an argument over the locale: " + argument.out());
    }

    @Test
    void argumentErrorsSpeakChinese() {
        Run unknown = run(Map.of("LANG", "zh_CN.UTF-8", "MIGRATION_LANGUAGE", "zh"), "frobnicate");
        assertEquals(MigratorApplication.EXIT_CANNOT_START, unknown.code());
        assertTrue(unknown.err().startsWith("error: 未知命令 'frobnicate'。\n用法："), unknown.err());

        Run dryRun = run(Map.of("LANG", "zh_CN.UTF-8"), "verify", "--dry-run");
        assertEquals(MigratorApplication.EXIT_CANNOT_START, dryRun.code());
        assertEquals("error: --dry-run 只是 copy 的参数（copy --dry-run：演练一轮，不写入任何内容）；'verify' 不接受该参数。\n",
                dryRun.err().replace("\r\n", "\n"));

        Run config = run(Map.of("LANG", "zh_CN.UTF-8"), "copy", "--config");
        assertTrue(config.err().startsWith("error: --config 后面需要一个文件：--config 文件"), config.err());

        Run english = run(Map.of("LANG", "C"), "verify", "--dry-run");
        assertTrue(english.err().startsWith("error: --dry-run is a flag of copy only (copy --dry-run: the pass it would make, "
                + "nothing written); 'verify' does not take it."), english.err());
    }
}
