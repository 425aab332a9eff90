package io.github.miniomigrator;

import static io.github.miniomigrator.support.TestStores.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.support.FaultyProxy;
import io.github.miniomigrator.support.InFlightRequests;
import io.github.miniomigrator.support.MinioEvents;
import io.github.miniomigrator.support.StoredBytes;
import io.github.miniomigrator.support.TestStores;
import io.github.miniomigrator.support.Wait;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * migration.concurrency transfers are in flight at once on both sides, however the clients queue their requests: each
 * request of an object waits in a proxy until migration.concurrency of them are there at once (a minute at most), then
 * 300 ms each before it goes on to the store (as a distant store's answers do), and the proxy counts how many wait at
 * once: the most is the bound, reached. (OkHttp, under the MinIO client, sends at most 5 requests to one host at a time
 * unless told otherwise.)
 */
@Tag("store")
@Tag("slow")
class ConcurrencyIT {
    private static final int CONCURRENCY = 12;
    private static final Duration HOLD = Duration.ofMillis(300);
    /** How long a request waits at most for the others at the proxy: generous, the test fails on the peak after it. */
    private static final Duration GATHER = Duration.ofMinutes(1);

    @Test
    void everyTransferIsInFlightAtOnceOnBothSides() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            Random data = new Random(5);
            for (int i = 0; i < 4 * CONCURRENCY; i++) {
                put(stores.sourceClient, "src", "obj/" + i, CopyIT.bytes(data, 1000 + data.nextInt(3000)));
            }
            InFlightRequests gets = new InFlightRequests(CorruptionIT::objectGet, HOLD).gathering(CONCURRENCY, GATHER);
            InFlightRequests puts = new InFlightRequests(r -> r.method().equals("PUT") && r.path().contains("/dst/obj/"), HOLD)
                    .gathering(CONCURRENCY, GATHER);
            try (FaultyProxy source = FaultyProxy.seeing(RemoveIT.portOf(stores.source.endpoint()), gets);
                    FaultyProxy target = FaultyProxy.seeing(RemoveIT.portOf(stores.target.endpoint()), puts)) {
                TestStores.Run run = stores.run("copy", stores.arguments("src:dst", "migration.source.endpoint=" + source.endpoint(),
                        "migration.target.endpoint=" + target.endpoint(), "migration.concurrency=" + CONCURRENCY));
                assertEquals(0, run.exitCode(), run.all());
                StoredBytes.assertRightOrNamedFailed(stores, "src", "dst", run.out());
                assertEquals(CONCURRENCY, gets.peak(), "source GETs in flight at once, of " + CONCURRENCY);
                assertEquals(CONCURRENCY, puts.peak(), "target PUTs in flight at once, of " + CONCURRENCY);
            }
        }
    }

    /**
     * The case: a catch-up pass during `run` while events arrive for other keys. Passes and event syncs share one
     * bound, so the target never sees more than migration.concurrency transfers (PUTs and DELETEs) in flight, counted
     * where it counts, at the server; and every object arrives, judged by the bytes stored.
     */
    @Test
    void aCatchUpPassAndEventSyncsTogetherStayWithinTheConcurrency() throws Exception {
        int concurrency = 3;
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            Random data = new Random(19);
            for (int i = 0; i < 12; i++) {
                put(stores.sourceClient, "src", "old/" + i, CopyIT.bytes(data, 500 + data.nextInt(2000)));
            }
            // PUTs and DELETEs of objects, by the first folder of their key: old/ (the full pass; deletes by events), new/ (a
            // catch-up pass), event/ (event syncs); not the write canary's, alone before the first pass
            InFlightRequests transfers = new InFlightRequests(
                    r -> (r.method().equals("PUT") || r.method().equals("DELETE")) && r.path().matches("/dst/(old|new|event)/.*"),
                    r -> r.path().substring("/dst/".length()).split("/")[0], HOLD).gathering(concurrency, GATHER);
            int port = EventsIT.freePort();
            try (FaultyProxy target = FaultyProxy.seeing(RemoveIT.portOf(stores.target.endpoint()), transfers);
                    EventsIT.Running run = new EventsIT.Running(stores, stores.arguments("src:dst", "migration.target.endpoint=" + target.endpoint(),
                            "migration.concurrency=" + concurrency, "migration.events.mode=webhook", "migration.http.port=" + port,
                            "migration.events.webhook.token=" + EventsIT.TOKEN, "migration.remove=true",
                            // a catch-up pass a second after the last one ends: one is under way whenever events arrive
                            "migration.reconcile.interval=1s"))) {
                // written without events: only a catch-up pass copies these
                for (int i = 0; i < 36; i++) {
                    put(stores.sourceClient, "src", "new/" + i, CopyIT.bytes(data, 500 + data.nextInt(2000)));
                }
                Wait.until("a catch-up pass copies", EventsIT.WAIT, () -> transfers.now("new") > 0);
                // meanwhile an application writes and deletes other keys, and MinIO tells
                for (int i = 0; i < 24; i++) {
                    String key = "event/" + i;
                    put(stores.sourceClient, "src", key, CopyIT.bytes(data, 500 + data.nextInt(2000)));
                    assertEquals(200, MinioEvents.post(port, EventsIT.TOKEN, MinioEvents.webhook("s3:ObjectCreated:Put", "src", key)).statusCode());
                    if (i % 3 == 0) {
                        String gone = "old/" + (i / 3);
                        stores.sourceClient.deleteObject(b -> b.bucket("src").key(gone));
                        assertEquals(200, MinioEvents.post(port, EventsIT.TOKEN, MinioEvents.webhook("s3:ObjectRemoved:Delete", "src", gone))
                                .statusCode());
                    }
                }
                Wait.until("the target holds what the source holds", EventsIT.WAIT, () -> stores.converged("src", "dst"));
                assertEquals(TestStores.contents(stores.sourceClient, "src", ""), TestStores.contents(stores.targetClient, "dst", ""));
                assertTrue(transfers.mostKindsAtOnce() >= 2, "a pass's copies and event syncs were in flight together (else this test proves "
                        + "nothing): " + transfers.mostKindsAtOnce() + " kinds at once");
                assertEquals(concurrency, transfers.peak(), "transfers in flight at the target at once (the bound, reached); "
                        + run.command.status().line());
                System.out.println("ConcurrencyIT: at most " + transfers.peak() + " of " + transfers.total() + " transfers in flight at the "
                        + "target at once (migration.concurrency=" + concurrency + "), up to " + transfers.mostKindsAtOnce() + " kinds together");
            }
        }
    }
}
