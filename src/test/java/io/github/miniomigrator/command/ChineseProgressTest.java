package io.github.miniomigrator.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.copy.PassStats;
import io.github.miniomigrator.events.SyncStatus;
import io.github.miniomigrator.i18n.Language;
import io.github.miniomigrator.i18n.Messages;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The progress lines (the log's and the terminal's) and run's status line in Chinese, numbers and units as in English. */
class ChineseProgressTest {
    private static final long MIB = 1 << 20;

    @BeforeEach
    void chinese() {
        Messages.use(Language.ZH);
    }

    @AfterEach
    void backToEnglish() {
        Messages.use(Language.EN); // the JVM is shared: the next test reads English
    }

    @Test
    void theLogsProgressLine() {
        PassStats s = new PassStats();
        s.listed(60 * MIB);
        s.listed(40 * MIB);
        s.copiedObjects.increment();
        s.copiedBytes.add(10 * MIB);
        assertEquals("src -> dst：正在列举，已列出源端对象 2 个（100.0 MiB）；已复制 1（10.0 MiB），相同 0，失败 0；1.0 MiB/s",
                ProgressLine.of("src -> dst", s, MIB, ""));
        s.listingComplete();
        assertEquals("src -> dst：已列出源端对象 2 个（100.0 MiB），完成 10.0%（10.0 MiB）；已复制 1（10.0 MiB），相同 0，失败 0；"
                + "1.0 MiB/s，预计剩余 90 秒", ProgressLine.of("src -> dst", s, MIB, ""));
        assertTrue(ProgressLine.of("src -> dst", s, 0, "").endsWith("预计剩余时间未知"));
        assertEquals("12 分钟", ProgressLine.eta(720));
        assertEquals("3.5 小时", ProgressLine.eta(3.5 * 3600));
    }

    @Test
    void theTerminalsLine() {
        PassStats stats = new PassStats();
        for (int i = 0; i < 1000; i++) {
            stats.copiedObjects.increment();
        }
        stats.copiedBytes.add(400 * MIB);
        assertEquals("1,000/4,000 个对象，400.0 MiB/1.6 GiB，40.0 MiB/s，预计剩余 30 秒",
                TerminalProgress.line(stats, Duration.ofSeconds(10), 4000, 1600L * MIB));
    }

    @Test
    void theSyncsStatusLine() {
        String line = new SyncStatus(Duration.ofSeconds(30)).line();
        assertTrue(line.startsWith("事件：已接收 0，已应用 0（删除 0），待处理 0"), line);
        assertTrue(line.endsWith("最近事件 无；未排空：尚未开始捕获事件"), line);
    }
}
