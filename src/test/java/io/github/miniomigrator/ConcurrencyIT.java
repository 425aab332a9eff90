package io.github.miniomigrator;

import static io.github.miniomigrator.support.TestStores.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.support.FaultyProxy;
import io.github.miniomigrator.support.StoredBytes;
import io.github.miniomigrator.support.TestStores;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * migration.concurrency transfers are in flight at once on both sides, however the clients queue their requests: each
 * request of an object waits 300 ms in a proxy before it goes on to the store (as a distant store's answers do), and the
 * proxy counts how many wait at once. (OkHttp, under the MinIO client, sends at most 5 requests to one host at a time
 * unless told otherwise.)
 */
class ConcurrencyIT {
    private static final int CONCURRENCY = 12;

    /** Holds matching requests for a while and remembers the most held at once. */
    private static final class InFlight implements java.util.function.Function<FaultyProxy.Request, FaultyProxy.Fault> {
        private final Predicate<FaultyProxy.Request> counted;
        private final AtomicInteger now = new AtomicInteger();
        final AtomicInteger peak = new AtomicInteger();

        InFlight(Predicate<FaultyProxy.Request> counted) {
            this.counted = counted;
        }

        @Override
        public FaultyProxy.Fault apply(FaultyProxy.Request request) {
            if (!counted.test(request)) {
                return FaultyProxy.Fault.PASS;
            }
            peak.accumulateAndGet(now.incrementAndGet(), Math::max);
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                now.decrementAndGet();
            }
            return FaultyProxy.Fault.PASS;
        }
    }

    @Test
    void everyTransferIsInFlightAtOnceOnBothSides() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            Random data = new Random(5);
            for (int i = 0; i < 4 * CONCURRENCY; i++) {
                put(stores.sourceClient, "src", "obj/" + i, CopyIT.bytes(data, 1000 + data.nextInt(3000)));
            }
            InFlight gets = new InFlight(CorruptionIT::objectGet);
            InFlight puts = new InFlight(r -> r.method().equals("PUT") && r.path().contains("/dst/obj/"));
            try (FaultyProxy source = FaultyProxy.seeing(RemoveIT.portOf(stores.source.endpoint()), gets);
                    FaultyProxy target = FaultyProxy.seeing(RemoveIT.portOf(stores.target.endpoint()), puts)) {
                TestStores.Run run = stores.run("copy", stores.arguments("src:dst", "migration.source.endpoint=" + source.endpoint(),
                        "migration.target.endpoint=" + target.endpoint(), "migration.concurrency=" + CONCURRENCY));
                assertEquals(0, run.exitCode(), run.all());
                StoredBytes.assertRightOrNamedFailed(stores, "src", "dst", run.out());
                assertTrue(gets.peak.get() >= CONCURRENCY - 2 && gets.peak.get() <= CONCURRENCY,
                        "source GETs in flight at once: " + gets.peak.get() + " of " + CONCURRENCY);
                assertTrue(puts.peak.get() >= CONCURRENCY - 2 && puts.peak.get() <= CONCURRENCY,
                        "target PUTs in flight at once: " + puts.peak.get() + " of " + CONCURRENCY);
            }
        }
    }
}
