package io.github.miniomigrator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token bucket on a clock of its own: requests go at the rate, a small burst after a quiet spell, none busy-waits. */
class RequestRateTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    /** A clock that only the sleeper moves: each acquire's sleep is the time it would have waited. */
    private static final class FakeTime {
        final AtomicLong now = new AtomicLong(1_000 * SECOND);
        final List<Long> sent = new ArrayList<>();

        RequestRate rate(double perSecond) {
            return new RequestRate(perSecond, now::get, nanos -> now.addAndGet(nanos));
        }

        void send(RequestRate rate, int requests) throws InterruptedException {
            for (int i = 0; i < requests; i++) {
                rate.acquire();
                sent.add(now.get());
            }
        }

        /** The most requests sent in any window of one second. */
        int busiestSecond() {
            int most = 0;
            for (int first = 0; first < sent.size(); first++) {
                int last = first;
                while (last + 1 < sent.size() && sent.get(last + 1) - sent.get(first) < SECOND) {
                    last++;
                }
                most = Math.max(most, last - first + 1);
            }
            return most;
        }
    }

    @Test
    void requestsGoAtTheRateWithABurstOfATenthAfterAQuietSpell() throws Exception {
        FakeTime time = new FakeTime();
        RequestRate rate = time.rate(100);
        long start = time.now.get();
        time.send(rate, 1000);
        // a burst of 10 at once, then one every 10 ms: the 1000th request goes at 9.9 s
        assertEquals(start + 990 * SECOND / 100, time.sent.get(999));
        assertEquals(start, time.sent.get(9), "the burst passes at once");
        assertTrue(time.busiestSecond() <= 110, "no second sees more than a tenth over the rate: " + time.busiestSecond());
        assertTrue(time.busiestSecond() >= 100, "the rate is reached: " + time.busiestSecond());

        // quiet for a while: the bucket is full again, but no fuller
        time.now.addAndGet(60 * SECOND);
        long quiet = time.now.get();
        time.send(rate, 11);
        assertEquals(quiet, time.sent.get(1009), "ten go at once after the quiet spell");
        assertEquals(quiet + SECOND / 100, time.sent.get(1010), "the eleventh waits its turn");
    }

    @Test
    void aSlowRateSpacesEveryRequest() throws Exception {
        FakeTime time = new FakeTime();
        RequestRate rate = time.rate(2);
        time.send(rate, 5);
        assertEquals(List.of(0L, SECOND / 2, SECOND, 3 * SECOND / 2, 2 * SECOND),
                time.sent.stream().map(t -> t - time.sent.get(0)).toList());
    }

    /** Threads that ask at once are spread over the interval, each sleeping its own share (no spinning, no lost slot). */
    @Test
    void threadsShareOneBucket() throws Exception {
        RequestRate rate = new RequestRate(50);
        List<Thread> threads = new ArrayList<>();
        List<Long> sent = java.util.Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        for (int t = 0; t < 8; t++) {
            Thread thread = new Thread(() -> {
                try {
                    for (int i = 0; i < 5; i++) {
                        rate.acquire();
                        sent.add(System.nanoTime() - start);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        // 40 requests at 50/s with a burst of 5: the last cannot go before 0.7 s (a loaded machine only makes it later)
        assertEquals(40, sent.size());
        assertTrue(sent.stream().mapToLong(Long::longValue).max().orElseThrow() >= 700_000_000L - 5_000_000L,
                "the last request waited its turn: " + sent);
    }

    @Test
    void settingsSayHowManyPerSecondOrOff() {
        assertEquals(Optional.empty(), RequestRate.parse(Setting.RATE, "off"));
        assertEquals(Optional.empty(), RequestRate.parse(Setting.RATE, " OFF "));
        assertEquals(Optional.empty(), RequestRate.parse(Setting.RATE, "0"));
        assertEquals(Optional.empty(), RequestRate.parse(Setting.RATE, ""));
        assertEquals(Optional.of(100.0), RequestRate.parse(Setting.RATE, "100"));
        assertEquals(Optional.of(100.0), RequestRate.parse(Setting.RATE, "100/s"));
        assertEquals(Optional.of(2.5), RequestRate.parse(Setting.RATE, "2.5"));
        for (String bad : List.of("fast", "-5", "1e9", "NaN", "100M")) {
            SettingsException e = assertThrows(SettingsException.class, () -> RequestRate.parse(Setting.RATE, bad));
            assertTrue(e.getMessage().startsWith("migration.rate=" + bad + " is not a request rate"), e.getMessage());
        }
        Settings settings = new Settings(Map.of("migration.rate", "100", "migration.source.rate", "off"));
        assertEquals(100.0, RequestRate.of(settings, StoreSide.TARGET).orElseThrow().perSecond());
        assertTrue(RequestRate.of(settings, StoreSide.SOURCE).isEmpty());
        assertTrue(RequestRate.of(new Settings(Map.of()), StoreSide.TARGET).isEmpty(), "off by default");
    }

    /** The limit belongs to its store: in the fallback direction OSS is read, and migration.rate still limits it. */
    @Test
    void theFallbackDirectionKeepsTheLimitWithItsStore() {
        Settings forward = new Settings(Map.of("migration.rate", "100", "migration.buckets", "src:dst"));
        Settings reversed = io.github.miniomigrator.fallback.ReversedSettings.of(forward);
        assertTrue(RequestRate.of(reversed, StoreSide.TARGET).isEmpty(), "MinIO, written in the fallback, has no limit");
        assertEquals(100.0, RequestRate.of(reversed, StoreSide.SOURCE).orElseThrow().perSecond(), "OSS, read in the fallback, keeps it");
    }
}
