package io.github.miniomigrator;

import static io.github.miniomigrator.support.TestStores.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.miniomigrator.support.MinioEvents;
import io.github.miniomigrator.support.TestStores;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * migration.include / migration.exclude on all four paths: a key out of scope is neither copied (pass, dry run), nor
 * deleted (migration.remove=true), nor reported by verify, nor synced from its event.
 */
@Tag("store")
class FiltersIT {
    /** Keys relative to the mapping: the target's carry the mapping's prefix, the patterns do not. */
    private static final String EXCLUDE = "migration.exclude=*.tmp,/cache/";

    @Test
    void excludedKeysAreNeitherCopiedNorDeletedNorCompared() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            for (String key : List.of("invoices/2024/a.pdf", "docs/cache/kept.txt", "发票 一月.pdf", "invoices/2024/draft.tmp", "cache/x.bin",
                    "cache/deep/y.bin")) {
                put(stores.sourceClient, "src", key, bytes("source " + key));
            }
            // out of scope and only on the target: never deleted; in scope and only on the target: deleted
            put(stores.targetClient, "dst", "backup/old.tmp", bytes("the target's own"));
            put(stores.targetClient, "dst", "backup/cache/stale.bin", bytes("the target's own"));
            put(stores.targetClient, "dst", "backup/extra.txt", bytes("gone from the source"));
            List<String> args = stores.arguments("src:dst/backup", EXCLUDE, "migration.remove=true");

            TestStores.Run assess = stores.run("assess", args);
            assertEquals(0, assess.exitCode(), assess.all());
            assertTrue(assess.out().contains("src -> dst/backup/: 3 objects"), "only keys in scope are counted: " + assess.out());

            // the dry run is the same pass: it names no excluded key
            TestStores.Run dryRun = stores.run("copy", TestStores.with(args, "--dry-run", "migration.listing.split=none"));
            assertEquals(0, dryRun.exitCode(), dryRun.all());
            JsonNode planned = DryRunIT.lastDryRunReport(stores).get("mappings").get(0);
            Set<String> listed = new TreeSet<>();
            planned.get("keys").forEach(entry -> listed.add(entry.get("action").asText() + " " + entry.get("key").asText()));
            assertEquals(Set.of("copy invoices/2024/a.pdf", "copy docs/cache/kept.txt", "copy 发票 一月.pdf", "delete extra.txt"), listed,
                    planned.toPrettyString());

            TestStores.Run copy = stores.run("copy", args);
            assertEquals(0, copy.exitCode(), copy.all());
            assertEquals(List.of("backup/cache/stale.bin", "backup/docs/cache/kept.txt", "backup/invoices/2024/a.pdf", "backup/old.tmp",
                    "backup/发票 一月.pdf"), TestStores.keys(stores.targetClient, "dst"));
            JsonNode pass = CopyIT.lastReport(stores).get("mappings").get(0);
            assertEquals(3, pass.get("copiedObjects").asInt(), pass.toPrettyString());
            assertEquals(1, pass.get("deletedObjects").asInt(), pass.toPrettyString());
            assertEquals(3, pass.get("sourceObjects").asInt(), "out-of-scope keys are not counted: " + pass.toPrettyString());
            // the smoke test samples the target's keys in scope only: the target's own old.tmp is not compared with the source
            TestStores.Run smoke = stores.run("smoke-test", TestStores.with(args, "migration.smoke-test.sample=100"));
            assertEquals(0, smoke.exitCode(), smoke.all());
            assertTrue(smoke.out().contains(": 3 old objects read and compared with the source, 0 differ"), smoke.out());

            // excluded keys differ on both sides (changed, missing, extra): verify still finds the mapping identical
            put(stores.targetClient, "dst", "backup/cache/x.bin", bytes("a different body"));
            put(stores.targetClient, "dst", "backup/invoices/2024/other.tmp", bytes("only on the target"));
            TestStores.Run verify = stores.run("verify", args);
            assertEquals(0, verify.exitCode(), verify.all());
            assertTrue(verify.out().contains("Result: identical"), verify.out());
            for (String excluded : List.of("cache/", ".tmp", "stale.bin")) {
                assertFalse(verify.out().contains(excluded), excluded + " is not reported: " + verify.out());
            }
            // without the filter the same stores differ: the filter is what kept them out
            TestStores.Run unfiltered = stores.run("verify", stores.arguments("src:dst/backup"));
            assertEquals(1, unfiltered.exitCode(), unfiltered.all());
            assertTrue(unfiltered.out().contains("* cache/x.bin") && unfiltered.out().contains("- old.tmp"), unfiltered.out());

            // an include: only the invoices are compared (and in scope they are identical)
            TestStores.Run invoices = stores.run("verify", stores.arguments("src:dst/backup", "migration.include=/invoices/**", EXCLUDE,
                    "migration.listing.split=ranges"));
            assertEquals(0, invoices.exitCode(), invoices.all());
            assertTrue(invoices.out().contains("Result: identical"), invoices.out());
            assertTrue(invoices.out().matches("(?s).*\\| src → [^|]+ \\| 1 \\| .*"), "one key compared: " + invoices.out());
        }
    }

    @Test
    void anEventForAnExcludedKeyIsIgnoredAndAnIncludedOnesIsApplied() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            put(stores.targetClient, "dst", "kept.tmp", bytes("the target's own, out of scope"));
            int port = EventsIT.freePort();
            List<String> args = stores.arguments("src:dst", "migration.events.mode=webhook", "migration.http.port=" + port,
                    "migration.events.webhook.token=" + EventsIT.TOKEN, "migration.remove=true", EXCLUDE);
            try (EventsIT.Running run = new EventsIT.Running(stores, args)) {
                assertEquals(List.of("kept.tmp"), TestStores.keys(stores.targetClient, "dst"), "the full pass kept the excluded extra");
                put(stores.sourceClient, "src", "scratch.tmp", bytes("excluded"));
                put(stores.sourceClient, "src", "cache/a.bin", bytes("excluded"));
                put(stores.sourceClient, "src", "report.txt", bytes("included"));
                for (String body : List.of(MinioEvents.webhook("s3:ObjectCreated:Put", "src", "scratch.tmp"),
                        MinioEvents.webhook("s3:ObjectCreated:Put", "src", "cache/a.bin"),
                        // the source lacks it: were the event applied, migration.remove=true would delete it
                        MinioEvents.webhook("s3:ObjectRemoved:Delete", "src", "kept.tmp"),
                        MinioEvents.webhook("s3:ObjectCreated:Put", "src", "report.txt"))) {
                    assertEquals(200, MinioEvents.post(port, EventsIT.TOKEN, body).statusCode());
                }
                run.awaitDrained();
                assertEquals(List.of("kept.tmp", "report.txt"), TestStores.keys(stores.targetClient, "dst"));
                assertEquals(3, run.command.status().getEventsIgnored());
            }
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
