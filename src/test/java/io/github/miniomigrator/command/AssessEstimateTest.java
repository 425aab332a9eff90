package io.github.miniomigrator.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.command.AssessCommand.Measured;
import io.github.miniomigrator.command.AssessCommand.Read;
import io.github.miniomigrator.config.RequestRate;
import io.github.miniomigrator.copy.Bandwidth;
import io.github.miniomigrator.i18n.Language;
import io.github.miniomigrator.i18n.Messages;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** assess's copy time, and what it is estimated from: the wait per request and the rate of bytes, measured apart. */
class AssessEstimateTest {
    private static final Bandwidth UNLIMITED = Bandwidth.parse("off", Clock.systemDefaultZone());

    @AfterEach
    void backToEnglish() {
        Messages.use(Language.EN); // the JVM is shared: the next test reads English
    }

    @Test
    void theEstimateSpeaksChinese() {
        Messages.use(Language.ZH);
        Measured small = new Measured(0.01, 0.01, 100_000_000);
        assertEquals("约 13 s（依据读取少量对象的实测；当前生效的带宽限制：无）",
                AssessCommand.estimate(10_000, 40_000_000, 4_000, 16, small, UNLIMITED, List.of()));
        String limited = AssessCommand.estimate(10_000, 40_000_000, 4_000, 16, small, UNLIMITED, List.of(new RequestRate(100)));
        assertTrue(limited.startsWith("至少约 100 s，受请求速率限制（100 requests/s，每个对象至少一个请求；"), limited);
        assertEquals("无需复制", AssessCommand.estimate(0, 0, 0, 16, small, UNLIMITED, List.of()));
    }

    @Test
    void aRequestRateLimitHoldsManySmallObjectsBack() {
        // 10,000 small objects, 10 ms a request, a GET and a PUT each, 16 at a time: about 13 s; at 100 requests/s at least 100 s
        Measured small = new Measured(0.01, 0.01, 100_000_000);
        String free = AssessCommand.estimate(10_000, 40_000_000, 4_000, 16, small, UNLIMITED, List.of());
        assertTrue(free.startsWith("about 13 s (from reading a few objects"), free);
        String limited = AssessCommand.estimate(10_000, 40_000_000, 4_000, 16, small, UNLIMITED,
                List.of(new RequestRate(500), new RequestRate(100)));
        assertTrue(limited.startsWith("about 100 s at least, held by the request rate limit (100 requests/s"), limited);
    }

    @Test
    void theLargestObjectTakesAtLeastItsOwnTime() {
        // 10 GB in 10 objects at 10 MB/s, 16 at a time: 64 s if they all ran side by side, but the 1 GB one alone takes 102 s
        String large = AssessCommand.estimate(10, 10_000_000_000L, 1_000_000_000L, 16, new Measured(1, 1, 10_000_000), UNLIMITED,
                List.of(new RequestRate(100)));
        assertTrue(large.startsWith("about 102 s ("), large);
    }

    /**
     * Issue 20's bucket on Ceph RGW: 198 objects, 20.4 MiB of which one object is 20 MiB, 4 at a time; the copy took 7.9 s.
     * The old estimate took the rate of bytes from five small reads, whose time is all waiting (about 87 KB/s) — "about 3 min"
     * on RGW. Measured apart, the wait is the small reads' and the rate the big one's: seconds, not minutes.
     */
    @Test
    void theRateOfBytesIsNotTakenFromSmallReadsWhoseTimeIsTheWait() {
        List<Read> reads = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            reads.add(new Read(2_300, 0.025, 0.0005, false));
        }
        Measured onlySmall = Measured.of(reads);
        assertEquals(0.0255 + 0.025, onlySmall.secondsPerObject(), 1e-9, "a small read whole, and a PUT's answer");
        assertEquals(0, onlySmall.bytesPerSecond(), "11.5 KB say nothing about the rate of bytes");

        reads.add(new Read(20L << 20, 0.025, 0.2, false));
        Measured measured = Measured.of(reads);
        assertEquals(0.0255 + 0.025, measured.secondsPerObject(), 1e-9, "the wait is the small reads' time, whatever the large one took");
        assertEquals(((20L << 20) + 5 * 2_300) / 0.2025, measured.bytesPerSecond(), 1, "the rate is the bodies' time");

        String estimate = AssessCommand.estimate(198, 21_390_950, 20L << 20, 4, measured, UNLIMITED, List.of());
        assertTrue(estimate.startsWith("about 3 s ("), estimate);
        // the old estimate from the same five small reads: 11.5 KB in 0.1275 s taken as the rate of bytes, 20.4 MiB at 90 KB/s
        double oldRate = 5 * 2_300 / (5 * 0.0255);
        assertTrue(oldRate * 4 < 400_000 && 21_390_950 / (oldRate * 4) > 55, "the old rate put the copy at a minute or more");
        // now a bucket of small objects only: its bytes, read with the answers, do not count as time
        assertTrue(AssessCommand.estimate(198, 455_400, 2_300, 4, onlySmall, UNLIMITED, List.of()).startsWith("about 2 s ("));
    }

    /**
     * Ceph RGW with beast's default tcp_nodelay=0, measured: a 4 KiB GET's answer came in 4 ms, its body 44 ms later (the
     * server's Nagle waits for the reader's delayed ACK); 5,000 such objects 4 at a time took 66 s. The estimate from the
     * answers alone said 20 s; the whole small reads say about a minute.
     */
    @Test
    void aBodyHeldBackAfterItsAnswerCountsAsWaiting() {
        List<Read> reads = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            reads.add(new Read(4_096, 0.004, 0.044, false));
        }
        Measured measured = Measured.of(reads);
        assertEquals(0.052, measured.secondsPerObject(), 1e-9);
        String estimate = AssessCommand.estimate(5_000, 5_000 * 4_096L, 4_096, 4, measured, UNLIMITED, List.of());
        assertTrue(estimate.startsWith("about 65 s ("), estimate);
    }

    @Test
    void theToolsOwnWorkPerObjectSetsAFloor() {
        // a store that answers at once: 1,000,000 objects cost the client's CPU, not waits
        String estimate = AssessCommand.estimate(1_000_000, 4_000_000_000L, 4_000, 1024, new Measured(0.0001, 0.0001, 1e9), UNLIMITED,
                List.of());
        double floor = 1_000_000 * AssessCommand.CLIENT_CPU_SECONDS_PER_OBJECT / Runtime.getRuntime().availableProcessors();
        assertTrue(estimate.startsWith("about " + AssessCommand.human(floor) + " ("), estimate + " (floor " + floor + " s)");
    }

    @Test
    void concurrencyDividesTheTime() {
        Measured measured = new Measured(0.05, 0.05, 0);
        assertTrue(AssessCommand.estimate(1_000, 1_000_000, 1_000, 1, measured, UNLIMITED, List.of()).startsWith("about 100 s ("));
        assertTrue(AssessCommand.estimate(1_000, 1_000_000, 1_000, 10, measured, UNLIMITED, List.of()).startsWith("about 10 s ("));
    }
}
