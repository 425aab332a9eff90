package io.github.miniomigrator.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.miniomigrator.copy.PassStats;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TerminalProgressTest {
    @Test
    void theLiveLineShowsDoneOfTotalRateAndEta() throws Exception {
        PassStats stats = new PassStats();
        stats.copiedObjects.add(300);
        stats.copiedBytes.add(300L << 20);
        stats.identicalObjects.add(700);
        stats.identicalBytes.add(100L << 20);
        assertEquals("1,000/4,000 objects, 400.0 MiB/1.6 GiB, 40.0 MiB/s, ETA 30 s",
                TerminalProgress.line(stats, Duration.ofSeconds(10), 4000, 1600L << 20));
        assertEquals("1,000 objects, 400.0 MiB, 40.0 MiB/s", TerminalProgress.line(stats, Duration.ofSeconds(10), -1, -1),
                "before the count is in, no total and no ETA");
        stats.started("big.bin").reading(new java.io.ByteArrayInputStream(new byte[40 << 20])).readAllBytes();
        assertEquals("1,000/4,000 objects, 440.0 MiB/1.6 GiB, 44.0 MiB/s, ETA 26 s", TerminalProgress.line(stats, Duration.ofSeconds(10), 4000,
                1600L << 20), "the bytes of an object in flight count as they move");
    }
}
