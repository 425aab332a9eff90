package io.github.miniomigrator;

import static io.github.miniomigrator.support.TestStores.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.support.FaultyProxy;
import io.github.miniomigrator.support.StoredBytes;
import io.github.miniomigrator.support.TestStores;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * migration.rate and migration.source.rate, seen where they count: a proxy in front of each store notes when every
 * request arrives. No second holds much more than the rate, and the requests take at least as long as the rate makes
 * them (a loaded machine only makes them slower); the limits are on every request, not on objects.
 */
@Tag("store")
class RequestRateIT {
    private static final int RATE = 10;
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    /** A proxy policy that passes every request on and notes when it came. */
    private static final class Arrivals implements java.util.function.Function<FaultyProxy.Request, FaultyProxy.Fault> {
        final List<Long> times = Collections.synchronizedList(new ArrayList<>());

        @Override
        public FaultyProxy.Fault apply(FaultyProxy.Request request) {
            times.add(System.nanoTime());
            return FaultyProxy.Fault.PASS;
        }

        List<Long> sorted() {
            synchronized (times) {
                List<Long> sorted = new ArrayList<>(times);
                Collections.sort(sorted);
                return sorted;
            }
        }

        /** The most requests that arrived within any one second. */
        int busiestSecond() {
            List<Long> sorted = sorted();
            int most = 0;
            int first = 0;
            for (int last = 0; last < sorted.size(); last++) {
                while (sorted.get(last) - sorted.get(first) >= SECOND) {
                    first++;
                }
                most = Math.max(most, last - first + 1);
            }
            return most;
        }

        double spanSeconds() {
            List<Long> sorted = sorted();
            return (sorted.get(sorted.size() - 1) - sorted.get(0)) / (double) SECOND;
        }
    }

    @Test
    void noSecondSeesMuchMoreThanTheRateOnEitherStore() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            Random data = new Random(8);
            for (int i = 0; i < 40; i++) {
                put(stores.sourceClient, "src", "obj/" + i, CopyIT.bytes(data, 100 + data.nextInt(2000)));
            }
            Arrivals toSource = new Arrivals();
            Arrivals toTarget = new Arrivals();
            try (FaultyProxy source = FaultyProxy.seeing(RemoveIT.portOf(stores.source.endpoint()), toSource);
                    FaultyProxy target = FaultyProxy.seeing(RemoveIT.portOf(stores.target.endpoint()), toTarget)) {
                TestStores.Run run = stores.run("copy", stores.arguments("src:dst", "migration.source.endpoint=" + source.endpoint(),
                        "migration.target.endpoint=" + target.endpoint(), "migration.concurrency=8", "migration.rate=" + RATE,
                        "migration.source.rate=" + RATE + "/s"));
                assertEquals(0, run.exitCode(), run.all());
                StoredBytes.assertRightOrNamedFailed(stores, "src", "dst", run.out());
                assertEquals(40, TestStores.keys(stores.targetClient, "dst").size());
                for (Arrivals store : List.of(toSource, toTarget)) {
                    String side = store == toSource ? "source" : "target";
                    int requests = store.times.size();
                    assertTrue(requests >= 40, side + ": every object's request counted: " + requests);
                    // the limit allows rate + a tenth (here 11) in any second; the slack is for requests a stalled JVM (or proxy) let
                    // go late together on a loaded machine; without the limits the busiest second here sees about 40
                    assertTrue(store.busiestSecond() <= RATE * 3 / 2 + 3, side + ": the busiest second saw " + store.busiestSecond() + " requests");
                    // one request every 1/rate s after the first: a lower bound whatever the load, less slack for a late first one
                    double least = (requests - 1) / (double) RATE - 1.0;
                    assertTrue(store.spanSeconds() >= least, side + ": " + requests + " requests took " + store.spanSeconds() + " s, at "
                            + RATE + "/s at least " + least + " s");
                    System.out.println("RequestRateIT: " + side + " " + requests + " requests in " + String.format("%.1f", store.spanSeconds())
                            + " s, at most " + store.busiestSecond() + " in one second (migration." + (side.equals("source") ? "source." : "")
                            + "rate=" + RATE + ")");
                }
            }
        }
    }
}
