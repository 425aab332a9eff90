package io.github.miniomigrator;

import static io.github.miniomigrator.support.TestStores.contents;
import static io.github.miniomigrator.support.TestStores.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.miniomigrator.support.FaultyProxy;
import io.github.miniomigrator.support.TestStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * `copy --dry-run`: the pass copy would make, seen by proxies in front of both stores — not one PUT, POST or DELETE
 * reaches either — and a report that names exactly the keys the real pass then copies and deletes, each with its reason;
 * the guards on deletes (migration.max-delete, migration.remove=false) keep extras in the dry run as in the real pass, and say why.
 */
@Tag("store")
class DryRunIT {
    @Test
    void listsExactlyWhatTheRealPassThenDoesAndWritesNothing() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            put(stores.sourceClient, "src", "new.txt", bytes("only in the source"));
            put(stores.sourceClient, "src", "dir/new-too.txt", bytes("also only in the source"));
            put(stores.sourceClient, "src", "resized.txt", bytes("the source's longer version"));
            put(stores.targetClient, "dst", "resized.txt", bytes("shorter"));
            put(stores.sourceClient, "src", "rewritten.txt", bytes("version B"));
            put(stores.targetClient, "dst", "rewritten.txt", bytes("version A"));
            for (int i = 0; i < 4; i++) {
                put(stores.sourceClient, "src", "same-" + i + ".txt", bytes("identical " + i));
                put(stores.targetClient, "dst", "same-" + i + ".txt", bytes("identical " + i));
            }
            put(stores.targetClient, "dst", "extra-1.txt", bytes("gone from the source"));
            put(stores.targetClient, "dst", "dir/extra-2.txt", bytes("gone too"));
            Map<String, String> targetBefore = contents(stores.targetClient, "dst", "");
            Map<String, String> sourceBefore = contents(stores.sourceClient, "src", "");

            List<String> requests = Collections.synchronizedList(new ArrayList<>());
            JsonNode dryRun;
            try (FaultyProxy source = FaultyProxy.seeing(RemoveIT.portOf(stores.source.endpoint()), request -> seen(requests, "source", request));
                    FaultyProxy target = FaultyProxy.seeing(RemoveIT.portOf(stores.target.endpoint()), request -> seen(requests, "target", request))) {
                TestStores.Run run = stores.run("copy", stores.arguments("src:dst", "--dry-run", "migration.remove=true",
                        "migration.source.endpoint=" + source.endpoint(), "migration.target.endpoint=" + target.endpoint()));
                assertEquals(0, run.exitCode(), run.all());
                // both stores were asked (listings, the preflight's reads), and neither was written
                assertTrue(requests.stream().anyMatch(r -> r.startsWith("source GET")), "the source was listed: " + requests);
                assertTrue(requests.stream().anyMatch(r -> r.startsWith("target GET")), "the target was listed: " + requests);
                List<String> writes = requests.stream().filter(r -> !r.contains(" GET ") && !r.contains(" HEAD ")).toList();
                assertEquals(List.of(), writes, "a dry run sends only GET and HEAD: " + requests);
                assertTrue(run.out().contains("Dry run: 4 would be copied ("), run.out());
                assertTrue(run.out().contains("2 would be deleted, 4 identical"), run.out());
                assertTrue(run.out().contains("Nothing was written to either store"), run.out());
                assertTrue(run.out().contains("Report: ") && run.out().contains("dry-run-") && run.out().contains("Page: "), run.out());
                dryRun = lastDryRunReport(stores);
            }
            assertEquals(targetBefore, contents(stores.targetClient, "dst", ""));
            assertEquals(sourceBefore, contents(stores.sourceClient, "src", ""));
            // nothing kept on disk for later runs either: no upload journal record, no target ETag state; one report (and the index)
            assertEquals(List.of(), filesIn(stores.work().resolve("state")));
            List<String> reports = filesIn(stores.work().resolve("reports"));
            assertEquals(3, reports.size(), reports.toString());
            assertTrue(reports.get(0).startsWith("dry-run-") && reports.get(0).endsWith(".html") && reports.get(1).startsWith("dry-run-")
                    && reports.get(1).endsWith(".json") && reports.get(2).equals("index.html"), reports.toString());
            String page = Files.readString(stores.work().resolve("reports").resolve(reports.get(0)));
            assertTrue(page.contains("Dry run: <span class=ok>complete</span>") && page.contains("4 would be copied"), page);
            for (JsonNode entry : dryRun.get("mappings").get(0).get("keys")) {
                assertTrue(page.contains(">" + entry.get("key").asText() + "<") && page.contains(">" + entry.get("action").asText() + "<"),
                        "the page lists " + entry + ": " + page);
            }
            assertEquals(List.of(), TestStores.keys(stores.targetClient, "dst").stream().filter(k -> k.contains("canary")).toList());

            JsonNode pass = dryRun.get("mappings").get(0);
            Map<String, String> copies = entries(pass, "copy");
            Map<String, String> deletes = entries(pass, "delete");
            assertEquals(Set.of("new.txt", "dir/new-too.txt", "resized.txt", "rewritten.txt"), copies.keySet(), pass.toPrettyString());
            assertEquals("missing on the target", copies.get("new.txt"));
            assertEquals("missing on the target", copies.get("dir/new-too.txt"));
            assertEquals("size differs: source 27 bytes, target 7 bytes", copies.get("resized.txt"));
            assertTrue(copies.get("rewritten.txt").startsWith("ETag differs: source " + md5Hex("version B") + ", target " + md5Hex("version A")),
                    copies.get("rewritten.txt"));
            assertEquals(Set.of("extra-1.txt", "dir/extra-2.txt"), deletes.keySet(), pass.toPrettyString());
            assertEquals(Set.of(), entries(pass, "keep").keySet());
            assertEquals(4, pass.get("wouldCopyObjects").asInt());
            assertEquals(18 + 23 + 27 + 9, pass.get("wouldCopyBytes").asLong());
            assertEquals(2, pass.get("wouldDeleteObjects").asInt());
            assertEquals(4, pass.get("identicalObjects").asInt());
            assertEquals("ok", dryRun.get("result").asText());

            // the real pass: it writes exactly the keys the dry run listed, and deletes exactly those it said it would
            TestStores.Run copy = stores.run("copy", stores.arguments("src:dst", "migration.remove=true"));
            assertEquals(0, copy.exitCode(), copy.all());
            Map<String, String> targetAfter = contents(stores.targetClient, "dst", "");
            Set<String> written = new TreeSet<>();
            targetAfter.forEach((key, value) -> {
                if (!value.equals(targetBefore.get(key))) {
                    written.add(key);
                }
            });
            Set<String> deleted = new TreeSet<>(targetBefore.keySet());
            deleted.removeAll(targetAfter.keySet());
            assertEquals(new TreeSet<>(copies.keySet()), written);
            assertEquals(new TreeSet<>(deletes.keySet()), deleted);
            JsonNode real = CopyIT.lastReport(stores).get("mappings").get(0);
            assertEquals(copies.size(), real.get("copiedObjects").asInt(), real.toPrettyString());
            assertEquals(deletes.size(), real.get("deletedObjects").asInt(), real.toPrettyString());
            assertEquals(pass.get("identicalObjects").asInt(), real.get("identicalObjects").asInt(), real.toPrettyString());
            assertEquals(contents(stores.sourceClient, "src", ""), targetAfter);
        }
    }

    @Test
    void saysWhyExtrasWouldBeKeptOverMaxDeleteAndWithoutRemove() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            put(stores.sourceClient, "src", "a.txt", bytes("a"));
            put(stores.targetClient, "dst", "a.txt", bytes("a"));
            for (int i = 0; i < 3; i++) {
                put(stores.targetClient, "dst", "extra-" + i, bytes("x" + i));
            }
            Set<String> extras = Set.of("extra-0", "extra-1", "extra-2");
            Map<String, String> targetBefore = contents(stores.targetClient, "dst", "");

            TestStores.Run overLimit = stores.run("copy", stores.arguments("src:dst", "--dry-run", "migration.remove=true",
                    "migration.max-delete=2"));
            assertEquals(0, overLimit.exitCode(), overLimit.all());
            assertTrue(overLimit.out().contains("0 would be copied (0 B), 0 would be deleted, 1 identical; 3 extra target objects would be kept"),
                    overLimit.out());
            assertTrue(overLimit.out().contains("a real pass would stop here: 3 objects in"), overLimit.out());
            JsonNode pass = lastDryRunReport(stores).get("mappings").get(0);
            Map<String, String> kept = entries(pass, "keep");
            assertEquals(extras, kept.keySet(), pass.toPrettyString());
            kept.values().forEach(reason -> assertEquals("extra on the target (not in the source), kept: not deleted though "
                    + "migration.remove=true: more than migration.max-delete=2", reason));
            assertEquals(Set.of(), entries(pass, "delete").keySet());

            TestStores.Run noRemove = stores.run("copy", stores.arguments("src:dst", "--dry-run", "migration.remove=false"));
            assertEquals(0, noRemove.exitCode(), noRemove.all());
            pass = lastDryRunReport(stores).get("mappings").get(0);
            kept = entries(pass, "keep");
            assertEquals(extras, kept.keySet(), pass.toPrettyString());
            kept.values().forEach(reason -> assertEquals("extra on the target (not in the source), kept: migration.remove=false", reason));
            assertEquals(0, pass.get("wouldDeleteObjects").asInt());
            assertEquals(3, pass.get("wouldKeepExtraObjects").asInt());

            assertEquals(targetBefore, contents(stores.targetClient, "dst", ""));
            // the real pass keeps them for the same reason
            TestStores.Run refused = stores.run("copy", stores.arguments("src:dst", "migration.remove=true", "migration.max-delete=2"));
            assertEquals(1, refused.exitCode(), refused.all());
            assertTrue(refused.out().contains("(not deleted though migration.remove=true: more than migration.max-delete=2)"), refused.out());
            assertEquals(targetBefore, contents(stores.targetClient, "dst", ""));
        }
    }

    @Test
    void theFlagBelongsToCopyOnly() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            TestStores.Run run = stores.run("verify", stores.arguments("src:dst", "--dry-run"));
            assertEquals(2, run.exitCode(), run.all());
            assertTrue(run.err().contains("--dry-run is a flag of copy only"), run.err());
            assertFalse(run.err().contains(TestStores.TARGET_SECRET), run.err());
        }
    }

    private static FaultyProxy.Fault seen(List<String> requests, String side, FaultyProxy.Request request) {
        requests.add(side + " " + request.method() + " " + request.path());
        return FaultyProxy.Fault.PASS;
    }

    /** key -> reason of the report's entries with this action. */
    private static Map<String, String> entries(JsonNode pass, String action) {
        Map<String, String> found = new TreeMap<>();
        Set<String> seenKeys = new HashSet<>();
        for (JsonNode entry : pass.get("keys")) {
            assertTrue(seenKeys.add(entry.get("key").asText()), "each key listed once: " + entry);
            if (entry.get("action").asText().equals(action)) {
                found.put(entry.get("key").asText(), entry.get("reason").asText());
            }
        }
        return found;
    }

    private static List<String> filesIn(Path folder) throws Exception {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).map(p -> folder.relativize(p).toString()).sorted().toList();
        }
    }

    static JsonNode lastDryRunReport(TestStores stores) throws Exception {
        try (Stream<Path> files = Files.list(stores.work().resolve("reports"))) {
            Path last = files.filter(p -> p.getFileName().toString().startsWith("dry-run-")).sorted().reduce((a, b) -> b).orElseThrow();
            return new ObjectMapper().readTree(last.toFile());
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String md5Hex(String text) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(bytes(text)));
    }
}
