package io.github.miniomigrator;

import static io.github.miniomigrator.support.TestStores.contents;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.miniomigrator.support.FaultyProxy;
import io.github.miniomigrator.support.StoredBytes;
import io.github.miniomigrator.support.TestStores;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A target that answers 503 or resets the connection on a share of requests: the pass still ends identical, or says exactly what failed. */
@Tag("store")
@Tag("slow")
class FaultyTargetIT {
    @Test
    void transientFailuresAreRetriedAndNothingPartialIsLeft() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            Random data = new Random(5);
            for (int i = 0; i < 150; i++) {
                TestStores.put(stores.sourceClient, "src", "obj/" + i, CopyIT.bytes(data, 1000 + data.nextInt(20_000)));
            }
            TestStores.put(stores.sourceClient, "src", "big/40mib.bin", CopyIT.bytes(data, 40 << 20));
            Random faults = new Random(3);
            try (FaultyProxy proxy = new FaultyProxy(RemoveIT.portOf(stores.target.endpoint()), (method, path) -> {
                synchronized (faults) {
                    int dice = faults.nextInt(10);
                    return dice == 0 ? FaultyProxy.Fault.SERVICE_UNAVAILABLE : dice == 1 ? FaultyProxy.Fault.RESET : FaultyProxy.Fault.PASS;
                }
            })) {
                TestStores.Run run = stores.run("copy", stores.arguments("src:dst", "migration.target.endpoint=" + proxy.endpoint(),
                        "migration.remove=true"));
                assertTrue(proxy.injected.get() > 10, "faults were injected: " + proxy.injected.get() + " of " + proxy.requests.get() + "\n" + run.all());
                Set<String> failed = StoredBytes.assertRightOrNamedFailed(stores, "src", "dst", run.all());
                JsonNode pass = CopyIT.lastReport(stores).get("mappings").get(0);
                assertEquals(failed.isEmpty() ? 0 : 1, run.exitCode(), run.all());
                assertTrue(pass.get("retries").asInt() > 0 || failed.isEmpty(), run.out());
                Set<String> stored = contents(stores.targetClient, "dst", "").keySet();
                failed.forEach(key -> assertTrue(!stored.contains(key), key + " failed and left nothing on the empty target"));
            }
        }
    }

    @Test
    void aTargetThatNeverAnswersFailsThatObjectWithinTheTimeoutAndThePassGoesOn() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            for (int i = 0; i < 20; i++) {
                TestStores.put(stores.sourceClient, "src", "obj/" + i, ("object " + i).getBytes());
            }
            TestStores.put(stores.sourceClient, "src", "stuck.bin", "this PUT is never answered".getBytes());
            try (FaultyProxy proxy = FaultyProxy.seeing(RemoveIT.portOf(stores.target.endpoint()),
                    r -> r.method().equals("PUT") && r.path().contains("stuck.bin") ? FaultyProxy.Fault.STALL : FaultyProxy.Fault.PASS)) {
                long started = System.nanoTime();
                TestStores.Run run = stores.run("copy", stores.arguments("src:dst", "migration.target.endpoint=" + proxy.endpoint(),
                        "migration.timeout=2s", "migration.retries=1"));
                long seconds = (System.nanoTime() - started) / 1_000_000_000L;
                assertEquals(1, run.exitCode(), run.all());
                assertTrue(run.out().contains("failed: stuck.bin: "), run.out());
                assertTrue(run.out().toLowerCase(java.util.Locale.ROOT).contains("timed out"), "the reason says it: " + run.out());
                assertTrue(seconds < 60, "two attempts of 2 s each, not minutes: " + seconds + " s");
                Map<String, String> target = contents(stores.targetClient, "dst", "");
                assertEquals(20, target.size(), "every other object is in place: " + target.keySet());
            }
        }
    }
}
