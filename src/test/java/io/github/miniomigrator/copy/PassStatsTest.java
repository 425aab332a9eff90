package io.github.miniomigrator.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The progress line names transfers that have run for long: a stalled store shows, rather than a silent pass. */
class PassStatsTest {
    @Test
    void stuckTransfersAreNamedOnlyPastTheMinimum() throws Exception {
        PassStats stats = new PassStats();
        assertEquals("", stats.stuckTransfers(Duration.ZERO));
        stats.started("big/archive.tar");
        Thread.sleep(5);
        stats.started("small.txt");
        assertEquals("", stats.stuckTransfers(Duration.ofMinutes(1)), "nothing has run for a minute yet");
        String line = stats.stuckTransfers(Duration.ZERO);
        assertTrue(line.startsWith("2 transfers running, the longest for ") && line.endsWith(" s, 0 B (big/archive.tar)"), line);
        stats.ended("big/archive.tar");
        assertTrue(stats.stuckTransfers(Duration.ZERO).endsWith("(small.txt)"));
    }
}
