package io.github.miniomigrator.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.support.Wait;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What counts as a stall: time the body waits for the connection, not time spent reading it from the source. */
class StallWatchdogTest {
    private static final Duration TIMEOUT = Duration.ofMillis(200);

    @Test
    void aRequestWhoseBodyStopsGoingOutIsAbortedOnceAndFailsAsStalled() {
        try (StallWatchdog watchdog = new StallWatchdog(TIMEOUT)) {
            AtomicInteger aborts = new AtomicInteger();
            StallWatchdog.Watch watch = watchdog.watch(aborts::incrementAndGet);
            watch.enterRead();
            watch.exitRead(false); // read, handed to the connection, which takes no more
            Wait.until("the stalled request is aborted", Duration.ofSeconds(30), () -> aborts.get() == 1);
            assertTrue(watch.stalled());
            assertFalse(watch.bodySent(), "it stalled sending");
            assertFalse(watch.finish(), "its answer, had one come, is not taken");
            assertEquals(0, watchdog.watching());
            assertEquals(1, aborts.get(), "aborted once");
        }
    }

    @Test
    void waitingForTheSourceOrARequestThatEndedIsNoStall() throws Exception {
        try (StallWatchdog watchdog = new StallWatchdog(TIMEOUT)) {
            AtomicInteger aborts = new AtomicInteger();
            StallWatchdog.Watch readingSlowly = watchdog.watch(aborts::incrementAndGet);
            readingSlowly.enterRead(); // a slow source, or a bandwidth limit pausing: the source's own timeout bounds it
            StallWatchdog.Watch answered = watchdog.watch(aborts::incrementAndGet);
            answered.enterRead();
            answered.exitRead(true);
            assertTrue(answered.finish(), "answered before any stall");
            StallWatchdog.Watch neverSent = watchdog.watch(aborts::incrementAndGet); // connecting has its own timeout
            Thread.sleep(TIMEOUT.toMillis() * 5);
            assertEquals(0, aborts.get());
            assertEquals(1, watchdog.watching(), "only the request reading its body is watched");
            readingSlowly.exitRead(false);
            Wait.until("a stall once the body waits for the connection", Duration.ofSeconds(30), () -> aborts.get() == 1);
            assertTrue(neverSent.finish());
        }
    }

    @Test
    void theMessageNamesTheRequestTheDirectionAndTheTimeout() {
        assertEquals("PUT dst/a.tif (part 2) timed out: could send nothing for 3 s",
                StalledTransferException.sending("PUT dst/a.tif (part 2)", Duration.ofSeconds(3), null).getMessage());
        assertEquals("GET src/a.tif timed out: received nothing for 0.5 s",
                StalledTransferException.receiving("GET src/a.tif", Duration.ofMillis(500), null).getMessage());
    }
}
