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

    @Test
    void theLongestTransferShowsItsBytesOfItsSize() throws Exception {
        PassStats stats = new PassStats();
        Transfer big = stats.started("big/archive.tar");
        big.size(2L << 30);
        big.reading(new java.io.ByteArrayInputStream(new byte[3 << 20])).readAllBytes();
        String line = stats.stuckTransfers(Duration.ZERO);
        assertTrue(line.startsWith("1 transfers running, the longest for ") && line.endsWith(" s, 3.0 MiB of 2.0 GiB (big/archive.tar)"), line);
        assertEquals(3 << 20, stats.inFlightBytes());
        stats.ended("big/archive.tar");
        assertEquals(0, stats.inFlightBytes());
        assertEquals(3 << 20, stats.movedBytes.sum(), "moved stays: the bytes went over the wire");
    }
}
