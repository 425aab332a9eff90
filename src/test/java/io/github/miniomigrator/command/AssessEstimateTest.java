package io.github.miniomigrator.command;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.config.RequestRate;
import io.github.miniomigrator.copy.Bandwidth;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** assess's copy time: a request rate limit sets a floor of one request per object. */
class AssessEstimateTest {
    private static final Bandwidth UNLIMITED = Bandwidth.parse("off", Clock.systemDefaultZone());

    @Test
    void aRequestRateLimitHoldsManySmallObjectsBack() {
        // 10,000 small objects, 10 ms each, 16 at a time: about 6 s unlimited; at 100 requests/s at least 100 s
        String free = AssessCommand.estimate(10_000, 40_000_000, 16, 100_000_000, 0.01, UNLIMITED, List.of());
        assertTrue(free.startsWith("about 6 s (from reading a few objects"), free);
        String limited = AssessCommand.estimate(10_000, 40_000_000, 16, 100_000_000, 0.01, UNLIMITED,
                List.of(new RequestRate(500), new RequestRate(100)));
        assertTrue(limited.startsWith("about 100 s at least, held by the request rate limit (100 requests/s"), limited);
        // few large objects: the rate does not decide
        String large = AssessCommand.estimate(10, 10_000_000_000L, 16, 10_000_000, 1, UNLIMITED, List.of(new RequestRate(100)));
        assertTrue(large.startsWith("about 63 s ("), large);
    }
}
