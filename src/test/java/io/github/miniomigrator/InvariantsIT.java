package io.github.miniomigrator;

import static io.github.miniomigrator.support.TestStores.contents;
import static io.github.miniomigrator.support.TestStores.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.support.FaultyProxy;
import io.github.miniomigrator.support.MinioEvents;
import io.github.miniomigrator.support.TestStores;
import io.github.miniomigrator.support.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Guarantees that hold whatever else happens: the source is never written, and a key is always itself. */
@Tag("store")
@Tag("slow")
class InvariantsIT {
    static final String TOKEN = "webhook-token-0123456789abcdef";

    /** Invariant 1: through copy, verify, smoke-test, assess and a `run` with events, the source sees only reads. */
    @Test
    void theSourceSeesOnlyReads() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            for (int i = 0; i < 10; i++) {
                put(stores.sourceClient, "src", "doc/" + i + ".pdf", ("document " + i).getBytes());
            }
            Set<String> methods = ConcurrentHashMap.newKeySet();
            try (FaultyProxy source = FaultyProxy.seeing(RemoveIT.portOf(stores.source.endpoint()), r -> {
                methods.add(r.method());
                return FaultyProxy.Fault.PASS;
            })) {
                List<String> args = stores.arguments("src:dst", "migration.source.endpoint=" + source.endpoint(), "migration.remove=true",
                        "migration.verify.sample=all");
                for (String command : List.of("assess", "copy", "verify", "smoke-test")) {
                    TestStores.Run run = stores.run(command, args);
                    assertEquals(0, run.exitCode(), command + ": " + run.all());
                }
                int port = EventsIT.freePort();
                List<String> runArgs = new ArrayList<>(args);
                runArgs.addAll(List.of("migration.events.mode=webhook", "migration.http.port=" + port, "migration.events.webhook.token=" + TOKEN));
                try (EventsIT.Running run = new EventsIT.Running(stores, runArgs)) {
                    put(stores.sourceClient, "src", "doc/new.pdf", "new".getBytes());
                    stores.sourceClient.deleteObject(b -> b.bucket("src").key("doc/0.pdf"));
                    MinioEvents.post(port, TOKEN, MinioEvents.webhook("s3:ObjectCreated:Put", "src", "doc/new.pdf"));
                    MinioEvents.post(port, TOKEN, MinioEvents.webhook("s3:ObjectRemoved:Delete", "src", "doc/0.pdf"));
                    Wait.until("the events converge", Duration.ofSeconds(60), () -> stores.converged("src", "dst"));
                }
                assertTrue(Set.of("GET", "HEAD").containsAll(methods), "the source saw only reads: " + methods);
                assertTrue(methods.contains("GET"));
            }
        }
    }

    /** A key containing what Camel would evaluate (${...}) is copied, verified and deleted as itself. */
    @Test
    void keysThatLookLikeExpressionsAreThemselves() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            List<String> keys = List.of("${header.CamelAwsS3Key}.txt", "a/${date:now:yyyy}/b.txt", "${body}", "{{migration.buckets}}.txt",
                    "$simple{exchangeId}.pdf");
            for (String key : keys) {
                put(stores.sourceClient, "src", key, key.getBytes());
            }
            put(stores.targetClient, "dst", "${exchangeProperty.MigrationTargetBucket}.old", "only on the target".getBytes());
            List<String> args = stores.arguments("src:dst", "migration.remove=true", "migration.max-delete=5");
            TestStores.Run copy = stores.run("copy", args);
            assertEquals(0, copy.exitCode(), copy.all());
            Set<String> expected = new TreeSet<>(keys);
            assertEquals(expected, new TreeSet<>(TestStores.keys(stores.targetClient, "dst")),
                    "the source's keys, and the extra one (${...}.old) deleted as itself");
            assertEquals(contents(stores.sourceClient, "src", ""), contents(stores.targetClient, "dst", ""));
            assertEquals(0, stores.run("verify", args).exitCode());
        }
    }

    /**
     * Invariant 5, capture first: the source listing is slowed down; objects written (and announced) behind the listing's
     * position while the full pass runs all arrive; a delete event with migration.remove=false deletes nothing.
     */
    @Test
    void everythingWrittenDuringTheFullPassArrives() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            for (int i = 0; i < 1001; i++) {
                put(stores.sourceClient, "src", String.format("m/%04d.tif", i), ("scan " + i).getBytes());
            }
            // copied by an earlier pass, then deleted from the source during this one
            put(stores.sourceClient, "src", "a/doomed.tif", "deleted from the source during the pass".getBytes());
            put(stores.targetClient, "dst", "a/doomed.tif", "deleted from the source during the pass".getBytes());
            java.util.concurrent.atomic.AtomicInteger listings = new java.util.concurrent.atomic.AtomicInteger();
            try (FaultyProxy source = FaultyProxy.seeing(RemoveIT.portOf(stores.source.endpoint()), r -> {
                if (r.method().equals("GET") && r.path().startsWith("/src?") && r.path().contains("list-type")) {
                    listings.incrementAndGet();
                    try {
                        Thread.sleep(2000); // a slow listing: each page of 1,000 keys takes 2 s
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return FaultyProxy.Fault.PASS;
            })) {
                int port = EventsIT.freePort();
                List<String> args = stores.arguments("src:dst", "migration.source.endpoint=" + source.endpoint(), "migration.remove=false",
                        "migration.events.mode=webhook", "migration.http.port=" + port, "migration.events.webhook.token=" + TOKEN);
                int before = listings.get();
                java.util.concurrent.ExecutorService writer = java.util.concurrent.Executors.newSingleThreadExecutor();
                java.util.concurrent.Future<?> writes = writer.submit(() -> {
                    // the first page has been read (the second is asked for): write behind the listing's position
                    Wait.until("the full pass lists its second page", Duration.ofSeconds(60), () -> listings.get() >= before + 2);
                    for (int i = 0; i < 10; i++) {
                        String key = "a/late-" + i + ".tif";
                        put(stores.sourceClient, "src", key, ("written during the full pass " + i).getBytes());
                        MinioEvents.post(port, TOKEN, MinioEvents.webhook("s3:ObjectCreated:Put", "src", key));
                    }
                    stores.sourceClient.deleteObject(b -> b.bucket("src").key("a/doomed.tif"));
                    MinioEvents.post(port, TOKEN, MinioEvents.webhook("s3:ObjectRemoved:Delete", "src", "a/doomed.tif"));
                    return null;
                });
                try (EventsIT.Running run = new EventsIT.Running(stores, args)) {
                    writes.get();
                    run.awaitDrained();
                } finally {
                    writer.shutdownNow();
                }
                Set<String> target = new TreeSet<>(TestStores.keys(stores.targetClient, "dst"));
                for (int i = 0; i < 10; i++) {
                    assertTrue(target.contains("a/late-" + i + ".tif"), "a/late-" + i + ".tif arrived through its event");
                }
                assertTrue(target.contains("a/doomed.tif"), "with migration.remove=false a delete event deletes nothing");
                assertEquals(1001 + 10 + 1, target.size());
            }
        }
    }

    /** The event queue is bounded: past its size the tool runs a catch-up pass instead of holding more, and loses nothing. */
    @Test
    void aFullEventQueueRunsACatchUpPassAndLosesNothing() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            int port = EventsIT.freePort();
            List<String> args = stores.arguments("src:dst", "migration.events.mode=webhook", "migration.http.port=" + port,
                    "migration.events.webhook.token=" + TOKEN, "migration.events.queue-size=5", "migration.concurrency=1");
            try (EventsIT.Running run = new EventsIT.Running(stores, args)) {
                java.util.concurrent.ExecutorService senders = java.util.concurrent.Executors.newFixedThreadPool(8);
                List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
                for (int i = 0; i < 400; i++) {
                    String key = "burst/" + i + ".tif";
                    put(stores.sourceClient, "src", key, ("burst " + i).getBytes());
                    sent.add(senders.submit(() -> MinioEvents.post(port, TOKEN, MinioEvents.webhook("s3:ObjectCreated:Put", "src", key))));
                }
                for (java.util.concurrent.Future<?> one : sent) {
                    one.get();
                }
                senders.shutdown();
                Wait.until("the target equals the source", Duration.ofSeconds(120), () -> stores.converged("src", "dst"));
                assertTrue(run.command.status().getQueueOverflows() > 0, "the queue overflowed: " + run.command.status().line());
                Wait.until("a catch-up pass ran", Duration.ofSeconds(60), () -> run.command.status().getCatchUpPasses() > 0);
            }
        }
    }
}
