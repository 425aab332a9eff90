package io.github.miniomigrator.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.miniomigrator.copy.PassStats;
import io.github.miniomigrator.copy.Transfer;
import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;

/** The progress line: "listing" until the totals are known, then % done (in-flight bytes included), the rate and an ETA. */
class ProgressLineTest {
    private static final long MIB = 1 << 20;

    @Test
    void beforeTheListingEndsItSaysHowFarTheListingGotAndNoPercent() {
        PassStats s = new PassStats();
        s.listed(10 * MIB);
        s.listed(10 * MIB);
        s.copiedObjects.increment();
        s.copiedBytes.add(10 * MIB);
        assertEquals("src -> dst: listing: 2 source objects listed so far (20.0 MiB); 1 copied (10.0 MiB), 0 identical, 0 failed; 1.0 MiB/s",
                ProgressLine.of("src -> dst", s, MIB, ""));
    }

    @Test
    void onceListedItShowsPercentByBytesWithBytesInFlightAndAnEta() throws Exception {
        PassStats s = new PassStats();
        s.listed(60 * MIB);
        s.listed(40 * MIB);
        s.listingComplete();
        s.identicalObjects.increment();
        s.identicalBytes.add(40 * MIB);
        Transfer big = s.started("big.bin");
        readAll(big.reading(new ByteArrayInputStream(new byte[(int) (20 * MIB)])));
        assertEquals(20 * MIB, big.bytes());
        assertEquals(20 * MIB, s.movedBytes.sum());
        // 40 identical + 20 in flight of 100: 60 %; 40 MiB left at 2 MiB/s
        assertEquals("src -> dst: 2 source objects listed (100.0 MiB), 60.0% done (60.0 MiB); 0 copied (0 B), 1 identical, 0 failed; 2.0 MiB/s, ETA 20 s",
                ProgressLine.of("src -> dst", s, 2 * MIB, ""));
        assertEquals("src -> dst: 2 source objects listed (100.0 MiB), 60.0% done (60.0 MiB); 0 copied (0 B), 1 identical, 0 failed; 0 B/s, ETA unknown; x",
                ProgressLine.of("src -> dst", s, 0, "x"));
    }

    @Test
    void aRetryCountsItsBytesAsMovedButNotTwiceAsDone() throws Exception {
        PassStats s = new PassStats();
        s.listed(10 * MIB);
        s.listingComplete();
        Transfer t = s.started("k");
        readAll(t.reading(new ByteArrayInputStream(new byte[(int) (8 * MIB)])));
        readAll(t.reading(new ByteArrayInputStream(new byte[(int) (5 * MIB)]))); // the retry, 5 MiB in
        assertEquals(13 * MIB, s.movedBytes.sum(), "both tries' bytes went over the wire");
        assertEquals("src -> dst: 1 source objects listed (10.0 MiB), 50.0% done (5.0 MiB); 0 copied (0 B), 0 identical, 0 failed; 1.0 MiB/s, ETA 5 s",
                ProgressLine.of("src -> dst", s, MIB, ""));
    }

    @Test
    void withoutBytesThePercentIsByObjects() {
        PassStats s = new PassStats();
        for (int i = 0; i < 4; i++) {
            s.listed(0);
        }
        s.listingComplete();
        s.copiedObjects.increment();
        assertEquals("src -> dst: 4 source objects listed (0 B), 25.0% done (0 B); 1 copied (0 B), 0 identical, 0 failed; 0 B/s, ETA unknown",
                ProgressLine.of("src -> dst", s, 0, ""));
    }

    @Test
    void theRateIsTheBytesOfTheLastIntervalOnly() {
        ProgressLine.Rate rate = new ProgressLine.Rate(0);
        assertEquals(2 * MIB, rate.perSecond(2 * MIB, 1_000_000_000L));
        assertEquals(0, rate.perSecond(2 * MIB, 2_000_000_000L), "nothing moved in the second interval");
        assertEquals(MIB, rate.perSecond(4 * MIB, 4_000_000_000L));
    }

    @Test
    void etasReadInSecondsMinutesOrHours() {
        assertEquals("45 s", ProgressLine.eta(45));
        assertEquals("12 min", ProgressLine.eta(720));
        assertEquals("3.5 h", ProgressLine.eta(12_600));
    }

    private static void readAll(java.io.InputStream in) throws Exception {
        byte[] buffer = new byte[64 * 1024];
        while (in.read(buffer, 0, buffer.length) >= 0) {
            // counted as read
        }
    }
}
