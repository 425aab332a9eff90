package io.github.miniomigrator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.miniomigrator.support.FaultyProxy;
import io.github.miniomigrator.support.TestStores;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What a pass that deletes many extras costs: -Dbench.objects (5000) target keys the source lacks, deleted by one
 * `copy` with migration.remove=true, timed after a warm-up round, with the target's requests counted by a proxy. On
 * demand only: {@code mvn -B -o verify -Dtest=DeleteCostBench -DskipITs -Dsurefire.failIfNoSpecifiedTests=false} (its
 * name matches no default pattern). -Dbench.hook=true: with the object-deleted hook writing a file per key.
 */
class DeleteCostBench {
    @Test
    void aPassDeletingManyExtras() throws Exception {
        int objects = Integer.getInteger("bench.objects", 5_000);
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            TestStores.put(stores.sourceClient, "src", "kept.txt", "kept".getBytes(StandardCharsets.UTF_8));
            Map<String, byte[]> extras = new TreeMap<>();
            for (int i = 0; i < objects; i++) {
                extras.put(String.format("old/%02d/scan-%05d.tif", i % 20, i), ("scan " + i).getBytes(StandardCharsets.UTF_8));
            }
            AtomicInteger deletes = new AtomicInteger();
            AtomicInteger batches = new AtomicInteger();
            try (FaultyProxy proxy = FaultyProxy.seeing(RemoveIT.portOf(stores.target.endpoint()), r -> {
                if (r.method().equals("DELETE")) {
                    deletes.incrementAndGet();
                } else if (r.method().equals("POST") && r.path().contains("?delete")) {
                    batches.incrementAndGet();
                }
                return FaultyProxy.Fault.PASS;
            })) {
                List<String> args = new java.util.ArrayList<>(stores.arguments("src:dst", "migration.events.mode=off", "migration.remove=true",
                        "migration.max-delete=-1", "migration.concurrency=16", "migration.target.endpoint=" + proxy.endpoint()));
                if (Boolean.getBoolean("bench.hook")) {
                    // -Dbench.hook=true: the object-deleted hook writes a file per key
                    args.add("migration.hooks.object-deleted=file:" + stores.work().resolve("hooked") + "?fileName=${exchangeId}.json");
                }
                for (String round : List.of("warm-up", "timed")) {
                    TestStores.putAll(stores.targetClient, "dst", extras);
                    int before = proxy.requests.get();
                    deletes.set(0);
                    batches.set(0);
                    long start = System.nanoTime();
                    TestStores.Run run = stores.run("copy", args);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    assertEquals(0, run.exitCode(), run.all());
                    assertEquals(List.of("kept.txt"), TestStores.keys(stores.targetClient, "dst"));
                    System.out.printf("DELETE-COST %s: %d extras deleted in %.2f s; %d requests to the target, %d DELETE, %d POST ?delete%n",
                            round, objects, seconds, proxy.requests.get() - before, deletes.get(), batches.get());
                }
            }
        }
    }
}
