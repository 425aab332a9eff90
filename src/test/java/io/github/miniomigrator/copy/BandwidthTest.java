package io.github.miniomigrator.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.config.SettingsException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BandwidthTest {
    /** A clock the test moves. */
    static final class TestClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-25T07:59:00Z"));

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    @Test
    void theTimetableSwitchesLimitsAtTheConfiguredTimes() {
        TestClock clock = new TestClock();
        Bandwidth bandwidth = Bandwidth.parse("08:00,10M 12:00,512K 20:00,off", clock);
        assertEquals(0, bandwidth.limitNow(), "before 08:00 the last entry of the day (off) still holds");
        clock.now.set(Instant.parse("2026-11-25T08:00:00Z"));
        assertEquals(10L << 20, bandwidth.limitNow());
        clock.now.set(Instant.parse("2026-11-25T12:30:00Z"));
        assertEquals(512L << 10, bandwidth.limitNow());
        clock.now.set(Instant.parse("2026-11-25T23:59:00Z"));
        assertEquals(0, bandwidth.limitNow());
        assertEquals(3L << 20, Bandwidth.parse("3M", clock).limitNow(), "one rate all day");
        assertTrue(Bandwidth.parse("off", clock).unlimited());
    }

    @Test
    void badTimetablesAreRefusedWithTheSettingNamed() {
        Clock clock = Clock.systemUTC();
        for (String bad : new String[] {"fast", "25:00,1M", "08:00-10M", "10M 20:00,off"}) {
            SettingsException e = assertThrows(SettingsException.class, () -> Bandwidth.parse(bad, clock), bad);
            assertTrue(e.getMessage().startsWith("migration.bandwidth"), e.getMessage());
        }
    }

    @Test
    void aThrottledReadStaysWithinTenPercentOfTheLimit() throws Exception {
        long limit = 2L << 20;
        Bandwidth bandwidth = Bandwidth.parse("2M", Clock.systemUTC());
        byte[] data = new byte[6 << 20];
        long start = System.nanoTime();
        try (InputStream in = bandwidth.throttle(new ByteArrayInputStream(data))) {
            byte[] buffer = new byte[1 << 20];
            while (in.read(buffer) >= 0) {
                // read it all
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double rate = data.length / seconds;
        // a limiter can only be slower on a busy machine, never faster: the upper bound is what must hold
        assertTrue(rate <= limit * 1.1, "measured " + (long) rate + " B/s against a limit of " + limit);
    }

    @Test
    void anOperatorsOverrideWinsUntilClearedAndANonRateIsRefused() {
        Bandwidth b = Bandwidth.parse("08:00,10M", java.time.Clock.systemUTC());
        b.override("512K");
        org.junit.jupiter.api.Assertions.assertEquals(512 * 1024, b.limitNow());
        b.override("OFF");
        org.junit.jupiter.api.Assertions.assertEquals(0, b.limitNow());
        for (String wrong : new String[] {"1.2.3M", "fast", "", "10 M", "-1M"}) {
            org.junit.jupiter.api.Assertions.assertThrows(io.github.miniomigrator.config.SettingsException.class, () -> b.override(wrong), wrong);
        }
        org.junit.jupiter.api.Assertions.assertEquals(0, b.overridden(), "a refused value leaves the last one in force");
        b.clearOverride();
        org.junit.jupiter.api.Assertions.assertEquals(-1, b.overridden());
        org.junit.jupiter.api.Assertions.assertEquals(10L << 20, b.limitNow());
    }
}
