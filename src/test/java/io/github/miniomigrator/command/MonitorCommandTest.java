package io.github.miniomigrator.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.miniomigrator.i18n.Language;
import io.github.miniomigrator.i18n.Messages;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** monitor's first line in both languages; its records (monitor.jsonl and the lines after) are JSON, the same in both. */
class MonitorCommandTest {
    @AfterEach
    void backToEnglish() {
        Messages.use(Language.EN); // the JVM is shared: the next test reads English
    }

    @Test
    void theStartLineSpeaksTheChosenLanguage() {
        Path log = Path.of("/var/reports/monitor.jsonl");
        assertEquals("Monitoring 2 targets every PT1H into /var/reports/monitor.jsonl",
                MonitorCommand.startLine(2, Duration.ofHours(1), log));
        Messages.use(Language.ZH);
        assertEquals("开始监控 2 个目标端，每隔 PT1H 统计一次，记录写入 /var/reports/monitor.jsonl",
                MonitorCommand.startLine(2, Duration.ofHours(1), log));
    }
}
