package io.github.miniomigrator;

import static io.github.miniomigrator.support.TestStores.contents;
import static io.github.miniomigrator.support.TestStores.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.miniomigrator.support.FaultyProxy;
import io.github.miniomigrator.support.TestStores;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A `copy` with the look after writes on (migration.recheck-after-write=on, real S3 servers): the pass's writes are
 * settled by a second merge-join, not a HEAD each, and its deletes wait until after that join and a clean pass.
 */
@Tag("store")
class SettlingJoinIT {
    /** The requests the source was sent, in order, as "METHOD path". */
    static List<String> requests(FaultyProxy source) {
        List<String> seen = new ArrayList<>();
        synchronized (source.heads) {
            source.heads.forEach(head -> seen.add(head.substring(0, head.indexOf(" HTTP/"))));
        }
        return seen;
    }

    @Test
    void aPassWithTheLookOnHeadsNoCopiedKeyAndDeletesItsExtrasOnceAfterItsSettlingJoin() throws Exception {
        try (TestStores stores = new TestStores(false);
                FaultyProxy source = new FaultyProxy(RemoveIT.portOf(stores.source.endpoint()), (method, path) -> FaultyProxy.Fault.PASS)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            Map<String, byte[]> inSource = new HashMap<>();
            Map<String, byte[]> inTarget = new HashMap<>();
            for (int i = 0; i < 90; i++) {
                String key = String.format("k/%03d", i);
                if (i < 60) {
                    inSource.put(key, key.getBytes());
                }
                if (i >= 30) {
                    inTarget.put(key, key.getBytes()); // 30 shared (the same bytes), 30 extras
                }
            }
            TestStores.putAll(stores.sourceClient, "src", inSource);
            TestStores.putAll(stores.targetClient, "dst", inTarget);
            TestStores.Run run = stores.run("copy", stores.arguments("src:dst", "migration.recheck-after-write=on", "migration.remove=true",
                    "migration.source.endpoint=" + source.endpoint()));
            assertEquals(0, run.exitCode(), run.all());
            JsonNode pass = CopyIT.lastReport(stores).get("mappings").get(0);
            assertEquals(30, pass.get("copiedObjects").asInt(), pass.toString());
            assertEquals(30, pass.get("identicalObjects").asInt(), pass.toString());
            assertEquals(30, pass.get("deletedObjects").asInt(), pass.toString());
            assertEquals(0, pass.get("rewrites").asInt(), "the settling join found nothing different: " + pass);
            assertEquals(contents(stores.sourceClient, "src", ""), contents(stores.targetClient, "dst", ""));

            List<String> requests = requests(source);
            for (int i = 0; i < 30; i++) {
                String copied = "HEAD /src/" + String.format("k/%03d", i);
                assertTrue(requests.stream().noneMatch(r -> r.equals(copied)), "no look per copied object: " + requests);
            }
            // the deletes ask the source about each extra (a listing of that key, then a HEAD after the delete)
            Pattern extra = Pattern.compile("k(/|%2F)0[6-8][0-9]");
            int lastRead = -1;
            int lastListing = -1;
            int firstLookAtAnExtra = Integer.MAX_VALUE;
            for (int n = 0; n < requests.size(); n++) {
                String request = requests.get(n);
                if (extra.matcher(request).find()) {
                    firstLookAtAnExtra = Math.min(firstLookAtAnExtra, n);
                } else if (request.startsWith("GET /src?") && request.contains("list-type=2")) {
                    lastListing = n;
                } else if (request.startsWith("GET /src/k/")) {
                    lastRead = n;
                }
            }
            assertTrue(lastRead < lastListing, "the settling join listed the source after the pass's copies: " + requests);
            assertTrue(firstLookAtAnExtra != Integer.MAX_VALUE, "each extra was asked for in the source before its delete: " + requests);
            assertTrue(lastListing < firstLookAtAnExtra, "the deletes came after the settling join's listing: " + requests);
        }
    }

    /** A copy the target refuses: the settling join still runs (the good key was written), and nothing is deleted. */
    @Test
    void aPassWithTheLookOnAndAFailureDeletesNothingAndCountsTheFailedKeyOnce() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            put(stores.sourceClient, "src", "good.txt", "good".getBytes());
            put(stores.sourceClient, "src", "poison.txt", "refused by the target".getBytes());
            put(stores.targetClient, "dst", "extra.txt", "extra".getBytes());
            try (FaultyProxy target = new FaultyProxy(RemoveIT.portOf(stores.target.endpoint()),
                    (method, path) -> method.equals("PUT") && path.contains("poison") ? FaultyProxy.Fault.FORBIDDEN : FaultyProxy.Fault.PASS)) {
                TestStores.Run run = stores.run("copy", stores.arguments("src:dst", "migration.recheck-after-write=on", "migration.remove=true",
                        "migration.retries=0", "migration.target.endpoint=" + target.endpoint()));
                assertEquals(1, run.exitCode(), run.all());
                assertTrue(run.out().contains("were not deleted: the pass had errors"), run.out());
                JsonNode pass = CopyIT.lastReport(stores).get("mappings").get(0);
                assertEquals(1, pass.get("failedObjects").asInt(), pass.toString());
                assertEquals(1, pass.get("copiedObjects").asInt(), pass.toString());
                long putsOfPoison = target.heads.stream().filter(head -> head.startsWith("PUT /dst/poison.txt")).count();
                assertEquals(1, putsOfPoison, "the settling join of a pass with failures leaves the refused key to the next pass");
            }
            assertEquals(List.of("extra.txt", "good.txt"), TestStores.keys(stores.targetClient, "dst"));
        }
    }
}
