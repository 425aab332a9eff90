package io.github.miniomigrator;

import static io.github.miniomigrator.support.TestStores.contents;
import static io.github.miniomigrator.support.TestStores.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.miniomigrator.support.FaultyProxy;
import io.github.miniomigrator.support.TestStores;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Paging on both listings, and the guards on deleting: prefix only, never after an error, never past max-delete. */
@Tag("store")
@Tag("slow")
class RemoveIT {
    @Test
    void pagesThroughBothListingsAndMakesTheTargetEqual() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            // 2,600 keys each side, 1,300 shared (same bytes), so both listings take three pages
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> puts = new ArrayList<>();
            for (int i = 0; i < 3900; i++) {
                String key = String.format("k/%05d", i);
                byte[] body = key.getBytes(StandardCharsets.UTF_8);
                if (i < 2600) {
                    puts.add(pool.submit(() -> put(stores.sourceClient, "src", key, body)));
                }
                if (i >= 1300) {
                    puts.add(pool.submit(() -> put(stores.targetClient, "dst", key, body)));
                }
            }
            for (Future<?> f : puts) {
                f.get();
            }
            pool.shutdown();
            TestStores.Run run = stores.run("copy", stores.arguments("src:dst", "migration.remove=true", "migration.max-delete=-1",
                    "migration.listing.concurrency=4", "migration.listing.split=ranges"));
            assertEquals(0, run.exitCode(), run.all());
            JsonNode pass = CopyIT.lastReport(stores).get("mappings").get(0);
            assertEquals(2600, pass.get("sourceObjects").asInt());
            assertEquals(2600, pass.get("targetObjectsBefore").asInt());
            assertEquals(1300, pass.get("copiedObjects").asInt());
            assertEquals(1300, pass.get("identicalObjects").asInt());
            assertEquals(1300, pass.get("deletedObjects").asInt());
            assertTrue(pass.get("listedRanges").asInt() >= 8, "listed in ranges, in parallel: " + pass.get("listedRanges"));
            assertEquals(contents(stores.sourceClient, "src", ""), contents(stores.targetClient, "dst", ""));
        }
    }

    @Test
    void deletesOnlyUnderTheMappingsPrefix() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            put(stores.sourceClient, "src", "a.txt", "a".getBytes());
            put(stores.targetClient, "dst", "backup/stale.txt", "old".getBytes());
            put(stores.targetClient, "dst", "backup-other/keep.txt", "keep".getBytes());
            put(stores.targetClient, "dst", "keep.txt", "keep".getBytes());
            TestStores.Run run = stores.run("copy", stores.arguments("src:dst/backup", "migration.remove=true"));
            assertEquals(0, run.exitCode(), run.all());
            assertEquals(List.of("backup-other/keep.txt", "backup/a.txt", "keep.txt"), TestStores.keys(stores.targetClient, "dst"));
        }
    }

    @Test
    void deletesNothingAfterAPassWithErrors() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            put(stores.sourceClient, "src", "good.txt", "good".getBytes());
            put(stores.sourceClient, "src", "poison.txt", "refused by the target".getBytes());
            put(stores.targetClient, "dst", "extra.txt", "extra".getBytes());
            try (FaultyProxy proxy = new FaultyProxy(portOf(stores.target.endpoint()),
                    (method, path) -> method.equals("PUT") && path.contains("poison") ? FaultyProxy.Fault.FORBIDDEN : FaultyProxy.Fault.PASS)) {
                TestStores.Run run = stores.run("copy", stores.arguments("src:dst", "migration.remove=true",
                        "migration.target.endpoint=" + proxy.endpoint()));
                assertEquals(1, run.exitCode(), run.all());
                assertTrue(run.out().contains("poison.txt: HTTP 403 AccessDenied"), run.out());
                String put = proxy.heads.stream().filter(h -> h.startsWith("PUT /dst/good.txt")).findFirst().orElseThrow().toLowerCase();
                assertTrue(put.contains("x-amz-content-sha256: unsigned-payload"), "no SHA-256 of bodies over http: " + put);
                assertTrue(put.contains("content-md5: "), put);
                assertTrue(!put.contains("expect:") && !put.contains("aws-chunked"), put);
                assertTrue(run.out().contains("were not deleted: the pass had errors"), run.out());
                // remove was on: the summary gives the true reason, not the advice to turn it on
                assertTrue(run.out().contains("1 target objects are not in the source (not deleted though migration.remove=true: "
                        + "the pass had errors)"), run.out());
                assertFalse(run.out().contains("deletes them"), run.out());
            }
            assertEquals(List.of("extra.txt", "good.txt"), TestStores.keys(stores.targetClient, "dst"));
        }
    }

    @Test
    void refusesToDeleteMoreThanMaxDelete() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            put(stores.sourceClient, "src", "a.txt", "a".getBytes());
            for (int i = 0; i < 6; i++) {
                put(stores.targetClient, "dst", "extra-" + i, "x".getBytes());
            }
            TestStores.Run refused = stores.run("copy", stores.arguments("src:dst", "migration.remove=true", "migration.max-delete=4"));
            assertEquals(1, refused.exitCode(), refused.all());
            // each count comes with a sample of the keys it counts (the first five)
            assertTrue(refused.out().contains("are not in source bucket src (e.g. extra-0, extra-1, extra-2, extra-3, extra-4, …), "
                    + "more than migration.max-delete=4; nothing was deleted"), refused.out());
            assertTrue(refused.out().contains("6 target objects are not in the source (not deleted though migration.remove=true: "
                    + "more than migration.max-delete=4), e.g. extra-0, extra-1, extra-2, extra-3, extra-4, …"), refused.out());
            assertFalse(refused.out().contains("deletes them"), refused.out());
            assertEquals(7, TestStores.keys(stores.targetClient, "dst").size());

            TestStores.Run allowed = stores.run("copy", stores.arguments("src:dst", "migration.remove=true", "migration.max-delete=6"));
            assertEquals(0, allowed.exitCode(), allowed.all());
            assertEquals(List.of("a.txt"), TestStores.keys(stores.targetClient, "dst"));
        }
    }

    @Test
    void withoutRemoveExtrasAreReportedNotDeleted() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            put(stores.targetClient, "dst", "extra.txt", "x".getBytes());
            TestStores.Run run = stores.run("copy", stores.arguments("src:dst"));
            assertEquals(0, run.exitCode(), run.all());
            assertTrue(run.out().contains("1 target objects are not in the source (migration.remove=true deletes them)"), run.out());
            assertEquals(List.of("extra.txt"), TestStores.keys(stores.targetClient, "dst"));
        }
    }

    @Test
    void anObjectDeletedFromTheSourceDuringThePassIsReportedAsGone() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            put(stores.sourceClient, "src", "stays.txt", "a".getBytes());
            put(stores.sourceClient, "src", "vanishes.txt", "b".getBytes());
            // the source lists the key, then answers its GET as MinIO does for a key deleted in between
            try (FaultyProxy source = new FaultyProxy(portOf(stores.source.endpoint()),
                    (method, path) -> method.equals("GET") && path.startsWith("/src/vanishes.txt") ? FaultyProxy.Fault.NOT_FOUND
                            : FaultyProxy.Fault.PASS)) {
                TestStores.Run run = stores.run("copy", stores.arguments("src:dst", "migration.source.endpoint=" + source.endpoint()));
                assertEquals(0, run.exitCode(), run.all());
                JsonNode pass = CopyIT.lastReport(stores).get("mappings").get(0);
                assertEquals(1, pass.get("goneObjects").asInt());
                assertEquals(0, pass.get("failedObjects").asInt());
                assertTrue(run.out().contains("'vanishes.txt' was deleted from the source during the pass"), run.out());
            }
            assertEquals(List.of("stays.txt"), TestStores.keys(stores.targetClient, "dst"));
        }
    }

    static int portOf(String endpoint) {
        return java.net.URI.create(endpoint).getPort();
    }
}
