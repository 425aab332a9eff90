package io.github.miniomigrator;

import static io.github.miniomigrator.support.TestStores.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.miniomigrator.support.FaultyProxy;
import io.github.miniomigrator.support.StoredBytes;
import io.github.miniomigrator.support.TestStores;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A source that fails reads as a flaky MinIO or network does: 503s, resets, and bodies cut short after their headers
 * promised more. A short GET must never become a short object: judged by the stored bytes, not by the tool's report.
 */
@Tag("store")
@Tag("slow")
class SourceFaultsIT {
    @Test
    void shortAndFailedReadsNeverBecomeShortObjects() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            Random data = new Random(21);
            for (int i = 0; i < 60; i++) {
                put(stores.sourceClient, "src", "obj/" + i, CopyIT.bytes(data, 3000 + data.nextInt(20_000)));
            }
            put(stores.sourceClient, "src", "big/12mib.bin", CopyIT.bytes(data, 12 << 20)); // multipart
            put(stores.sourceClient, "src", "mid/7mib.bin", CopyIT.bytes(data, 7 << 20)); // above the threshold, one part's worth
            Random faults = new Random(4);
            try (FaultyProxy source = FaultyProxy.seeing(RemoveIT.portOf(stores.source.endpoint()), r -> {
                if (!CorruptionIT.objectGet(r)) {
                    return FaultyProxy.Fault.PASS;
                }
                synchronized (faults) {
                    int dice = faults.nextInt(8);
                    return dice == 0 ? FaultyProxy.Fault.SERVICE_UNAVAILABLE : dice == 1 ? FaultyProxy.Fault.RESET : FaultyProxy.Fault.PASS;
                }
            })) {
                Random cuts = new Random(9);
                source.rewriteResponses((request, answer) -> {
                    synchronized (cuts) {
                        if (!CorruptionIT.objectGet(request) || !answer.startsWith("HTTP/1.1 200") || cuts.nextInt(4) != 0) {
                            return answer;
                        }
                    }
                    int body = answer.indexOf("\r\n\r\n") + 4;
                    return answer.substring(0, body + (answer.length() - body) / 2); // the headers promised all of it
                });
                TestStores.Run run = stores.run("copy", stores.arguments("src:dst", "migration.source.endpoint=" + source.endpoint(),
                        "migration.multipart.threshold=6MiB", "migration.multipart.part-size=5MiB", "migration.retries=6"));
                Set<String> failed = StoredBytes.assertRightOrNamedFailed(stores, "src", "dst", run.out());
                JsonNode pass = CopyIT.lastReport(stores).get("mappings").get(0);
                assertTrue(pass.get("retries").asInt() > 10, "reads were failed and retried: " + run.out());
                assertEquals(failed.isEmpty() ? 0 : 1, run.exitCode(), run.all());
            }
        }
    }
}
