package io.github.miniomigrator;

import static io.github.miniomigrator.support.TestStores.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.i18n.Language;
import io.github.miniomigrator.i18n.Messages;
import io.github.miniomigrator.support.TestStores;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * migration.language=zh against the suite's real S3 servers: copy's, verify's and copy --dry-run's console lines are
 * Chinese (setting names, buckets and numbers as they are), and a preflight failure names its setting in Chinese.
 */
@Tag("store")
class ChineseOutputIT {
    /** Words of the English sentences these commands print: none may be left in the Chinese output. */
    private static final Pattern ENGLISH = Pattern.compile(
            "\\b(the|Copying|Verifying|Dry run|Result|Report|Page|Target|source|target had|objects|identical|would be|Nothing|cannot|Check that)\\b");

    @AfterEach
    void backToEnglish() {
        Messages.use(Language.EN); // the JVM is shared: the next test reads English
    }

    @Test
    void copyVerifyAndDryRunSpeakChinese() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            for (String key : new String[] {"a.txt", "b.txt", "发票 1.pdf"}) {
                put(stores.sourceClient, "src", key, ("content of " + key).getBytes());
            }
            List<String> chinese = TestStores.with(stores.arguments("src:dst"), "migration.language=zh");

            TestStores.Run dryRun = stores.run("copy", TestStores.with(chinese, "--dry-run"));
            assertEquals(0, dryRun.exitCode(), dryRun.all());
            assertTrue(dryRun.out().contains("正在演练 src -> dst ..."), dryRun.out());
            assertTrue(dryRun.out().contains("src -> dst：需复制 3 个"), dryRun.out());
            assertTrue(dryRun.out().contains("演练：需复制 3 个"), dryRun.out());
            assertChinese(dryRun.out());

            TestStores.Run copy = stores.run("copy", chinese);
            assertEquals(0, copy.exitCode(), copy.all());
            assertTrue(copy.out().contains("正在复制 src -> dst ..."), copy.out());
            assertTrue(copy.out().contains("已复制"), copy.out()); // the table's header
            assertTrue(copy.out().contains("源端 3 个对象"), copy.out());
            assertTrue(copy.out().contains("目标端：存储类型为 桶的默认值；对象内容按 UNSIGNED-PAYLOAD 方式发送"), copy.out());
            assertTrue(copy.out().contains("结果：所有对象均已复制到位。"), copy.out());
            assertTrue(copy.out().lines().anyMatch(line -> line.startsWith("报告：") && line.endsWith(".json")), copy.out());
            assertChinese(copy.out());

            TestStores.Run verify = stores.run("verify", chinese);
            assertEquals(0, verify.exitCode(), verify.all());
            assertTrue(verify.out().contains("正在校验 src -> dst ..."), verify.out());
            assertTrue(verify.out().contains("| 映射 | 源端对象数 |"), verify.out());
            assertTrue(verify.out().contains("| src → dst | 3 | "), verify.out());
            assertTrue(verify.out().contains("结果：一致"), verify.out());
            assertChinese(verify.out());

            TestStores.Run english = stores.run("verify", stores.arguments("src:dst"));
            assertTrue(english.out().contains("Result: identical"), "English again without the setting: " + english.out());
        }
    }

    @Test
    void preflightFailuresNameTheirSettingInChinese() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            List<String> chinese = TestStores.with(stores.arguments("nope:dst"), "migration.language=zh");

            TestStores.Run unknownBucket = stores.run("copy", chinese);
            assertEquals(MigratorApplication.EXIT_CANNOT_START, unknownBucket.exitCode(), unknownBucket.all());
            assertTrue(unknownBucket.err().startsWith("error: 源端桶 'nope' 无法列举："), unknownBucket.err());
            assertTrue(unknownBucket.err().contains("migration.source.endpoint") && unknownBucket.err().contains("migration.source.access-key"),
                    unknownBucket.err());
            assertFalse(unknownBucket.err().contains("Check that"), unknownBucket.err());

            TestStores.Run emptyRegion = stores.run("copy", TestStores.with(chinese, "migration.buckets=src:dst", "migration.target.region="));
            assertEquals(MigratorApplication.EXIT_CANNOT_START, emptyRegion.exitCode(), emptyRegion.all());
            assertTrue(emptyRegion.err().contains("migration.target.region 为空：请设置目标端存储的区域"), emptyRegion.err());
        }
    }

    private static void assertChinese(String out) {
        assertTrue(out.contains("：") || out.contains("，"), "Chinese punctuation: " + out);
        for (String line : out.lines().toList()) {
            // a marker line of verify, a file path or a row of numbers holds no sentence; every other line is Chinese
            assertFalse(ENGLISH.matcher(line.replaceAll("/[^\\s]*", "")).find(), "an English sentence: " + line + "\n" + out);
        }
    }
}
