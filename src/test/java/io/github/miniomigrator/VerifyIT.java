package io.github.miniomigrator;

import static io.github.miniomigrator.support.TestStores.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.support.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** verify's markers and exit codes for each kind of difference, and the sample download that catches what metadata hides. */
@Tag("store")
class VerifyIT {
    /** The time in every report file's name: the UTC date-time to the millisecond, as copy's reports always had it. */
    static final String REPORT_TIME = "\\d{8}-\\d{6}-\\d{3}";

    static String reportLine(String out) {
        return out.lines().filter(line -> line.startsWith("Report: ")).reduce((a, b) -> b).orElseThrow().substring("Report: ".length());
    }

    @Test
    void marksEachKindOfDifferenceAndExitsAccordingly() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            for (String key : new String[] {"same.txt", "missing.txt", "changed.txt", "发票 1.pdf"}) {
                put(stores.sourceClient, "src", key, ("content of " + key).getBytes());
            }
            assertEquals(0, stores.run("copy", stores.arguments("src:dst")).exitCode());
            TestStores.Run clean = stores.run("verify", stores.arguments("src:dst"));
            assertEquals(0, clean.exitCode(), clean.all());
            assertTrue(clean.out().contains("Result: identical"), clean.out());
            // every key is compared, identical ones too (a copy pass leaves those out before its route; verify must not)
            assertTrue(clean.out().contains("| src → dst | 4 | "), clean.out());
            assertTrue(clean.out().matches("(?s).*\\| src → dst \\| 4 \\| [^|]+\\| 4 \\| [^|]+\\| 4 \\| 0 \\| 0 \\| 0 \\| 0 \\|.*"), clean.out());

            stores.targetClient.deleteObject(b -> b.bucket("dst").key("missing.txt"));
            put(stores.targetClient, "dst", "extra.txt", "x".getBytes());
            put(stores.targetClient, "dst", "changed.txt", "a different, longer body".getBytes());
            TestStores.Run differences = stores.run("verify", stores.arguments("src:dst"));
            assertEquals(1, differences.exitCode(), differences.all());
            assertTrue(differences.out().contains("+ missing.txt"), differences.out());
            assertTrue(differences.out().contains("- extra.txt"), differences.out());
            assertTrue(differences.out().contains("* changed.txt"), differences.out());
            assertTrue(!differences.out().contains("same.txt") && !differences.out().contains("发票 1.pdf"), differences.out());
            try (Stream<Path> files = Files.list(stores.work().resolve("reports"))) {
                assertTrue(files.anyMatch(f -> f.getFileName().toString().matches("verify-.*\\.md")), "a Markdown report");
            }
            // the marker file carries its JSON's time, and holds the differing keys' markers (identical keys are only counted)
            Path json = Path.of(reportLine(differences.out()));
            String stamp = json.getFileName().toString().replaceAll("^verify-(.*)\\.json$", "$1");
            assertTrue(stamp.matches(REPORT_TIME), json.toString());
            Path markers = json.resolveSibling("verify-" + stamp + "-src.txt");
            assertTrue(differences.out().contains("(every differing marker: " + markers), differences.out());
            assertEquals(java.util.Set.of("+ missing.txt", "- extra.txt", "* changed.txt"),
                    Files.readAllLines(markers).stream().map(line -> line.replaceAll("\\s+#.*", "")).collect(java.util.stream.Collectors.toSet()));

            TestStores.Run cannot = stores.run("verify", stores.arguments("nope:dst"));
            assertEquals(2, cannot.exitCode(), cannot.all());
        }
    }

    @Test
    void assessCountsSizesAndWhatTheTargetWouldRefuse() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            put(stores.sourceClient, "src", "empty", new byte[0]);
            put(stores.sourceClient, "src", "small.txt", new byte[100]);
            put(stores.sourceClient, "src", "medium.bin", new byte[100_000]);
            put(stores.sourceClient, "src", "k".repeat(1020), new byte[10]);
            TestStores.put(stores.sourceClient, "src", "tagged.pdf", new byte[10], "application/pdf", Map.of("scan_id", "7"));
            TestStores.Run run = stores.run("assess", stores.arguments("src:dst/backup", "migration.target.provider=oss",
                    "migration.target.path-style=true"));
            assertEquals(0, run.exitCode(), run.all());
            assertTrue(run.out().contains("src -> dst/backup/: 5 objects"), run.out());
            assertTrue(run.out().contains("1 keys would be longer than 1,023 bytes"), run.out());
            assertTrue(run.out().contains("medium.bin (97.7 KiB)"), run.out());
            assertTrue(run.out().contains("estimated copy time: about"), run.out());
            assertTrue(Path.of(reportLine(run.out())).getFileName().toString().matches("assess-" + REPORT_TIME + "\\.json"), run.out());
            assertTrue(TestStores.keys(stores.targetClient, "dst").isEmpty(), "assess writes nothing");
        }
    }

    /** Invariant 8: where the target's ETags are MD5s, differing plain ETags mean different bytes, whatever the metadata says. */
    @Test
    void aTargetObjectOverwrittenWithTheCopysMetadataIsFoundAndRepaired() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            byte[] original = "the scanned invoice, version 1".getBytes();
            put(stores.sourceClient, "src", "doc.pdf", original);
            put(stores.sourceClient, "src", "other.pdf", "untouched".getBytes());
            java.util.List<String> args = stores.arguments("src:dst");
            assertEquals(0, stores.run("copy", args).exitCode());
            Map<String, String> metadata = TestStores.head(stores.targetClient, "dst", "doc.pdf").metadata();
            assertTrue(metadata.containsKey("source-etag") && metadata.containsKey("md5chksum"), metadata.toString());
            // another writer replaces the bytes (same size) and carries the metadata over
            put(stores.targetClient, "dst", "doc.pdf", "the scanned invoice, version 2".getBytes(), "application/pdf", metadata);

            TestStores.Run verify = stores.run("verify", args);
            assertEquals(1, verify.exitCode(), verify.all());
            assertTrue(verify.out().contains("* doc.pdf"), verify.out());
            TestStores.Run repair = stores.run("copy", args);
            assertEquals(0, repair.exitCode(), repair.all());
            assertEquals(1, CopyIT.lastReport(stores).get("mappings").get(0).get("copiedObjects").asInt(), repair.out());
            assertEquals(TestStores.contents(stores.sourceClient, "src", ""), TestStores.contents(stores.targetClient, "dst", ""));
            assertEquals(0, stores.run("verify", args).exitCode());
        }
    }

    @Test
    void smokeTestPassesOnAGoodTargetAndFailsOnABrokenOne() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            for (int i = 0; i < 30; i++) {
                put(stores.sourceClient, "src", "old/" + i, ("old file " + i).getBytes());
            }
            assertEquals(0, stores.run("copy", stores.arguments("src:dst")).exitCode());
            TestStores.Run good = stores.run("smoke-test", stores.arguments("src:dst", "migration.smoke-test.sample=10"));
            assertEquals(0, good.exitCode(), good.all());
            assertTrue(good.out().contains("10 old objects read and compared with the source, 0 differ")
                    && good.out().contains("canary written, read back, deleted"), good.out());
            assertEquals(30, TestStores.keys(stores.targetClient, "dst").size(), "the canary is gone");

            put(stores.targetClient, "dst", "old/7", "damaged!!!!".getBytes());
            TestStores.Run damaged = stores.run("smoke-test", stores.arguments("src:dst", "migration.smoke-test.sample=100"));
            assertEquals(1, damaged.exitCode(), damaged.all());
            assertTrue(damaged.out().contains("* old/7"), damaged.out());
            try (Stream<Path> files = Files.list(stores.work().resolve("reports"))) {
                java.util.List<String> names = files.map(f -> f.getFileName().toString()).filter(name -> name.startsWith("smoke-test-")).toList();
                assertTrue(!names.isEmpty() && names.stream().allMatch(name -> name.matches("smoke-test-" + REPORT_TIME + "-src\\.txt")),
                        "one naming scheme for every report: " + names);
            }

            try (io.github.miniomigrator.support.FaultyProxy readOnly = new io.github.miniomigrator.support.FaultyProxy(
                    RemoveIT.portOf(stores.target.endpoint()), (method, path) -> method.equals("PUT")
                            ? io.github.miniomigrator.support.FaultyProxy.Fault.FORBIDDEN : io.github.miniomigrator.support.FaultyProxy.Fault.PASS)) {
                put(stores.targetClient, "dst", "old/7", "old file 7".getBytes());
                TestStores.Run unwritable = stores.run("smoke-test", stores.arguments("src:dst", "migration.target.endpoint=" + readOnly.endpoint()));
                assertEquals(1, unwritable.exitCode(), unwritable.all());
                assertTrue(unwritable.out().contains("canary FAILED: HTTP 403"), unwritable.out());
            }
        }
    }

    @Test
    void theSampleDownloadCatchesASameSizeCorruptionTheMetadataHides() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            put(stores.sourceClient, "src", "scan.tif", "original bytes!".getBytes());
            assertEquals(0, stores.run("copy", stores.arguments("src:dst")).exitCode());
            // damage at rest: same size, and the metadata the copy stored still claims the original
            Map<String, String> metadata = TestStores.head(stores.targetClient, "dst", "scan.tif").metadata();
            stores.targetClient.putObject(b -> b.bucket("dst").key("scan.tif").metadata(metadata),
                    software.amazon.awssdk.core.sync.RequestBody.fromBytes("corrupted bytes".getBytes()));
            assertEquals(1, stores.run("verify", stores.arguments("src:dst")).exitCode(), "the copy learnt that this target's ETags are MD5s");
            // where the tool does not know that (no state from a copy), the metadata decides and cannot see it; a sample can
            String unknown = "migration.state.dir=" + stores.work().resolve("no-state");
            assertEquals(0, stores.run("verify", stores.arguments("src:dst", unknown)).exitCode(), "metadata alone cannot see it");
            TestStores.Run sampled = stores.run("verify", stores.arguments("src:dst", unknown, "migration.verify.sample=all"));
            assertEquals(1, sampled.exitCode(), sampled.all());
            assertTrue(sampled.out().contains("* scan.tif") && sampled.out().contains("downloaded bytes differ"), sampled.out());
            TestStores.Run one = stores.run("verify", stores.arguments("src:dst", unknown, "migration.verify.sample=1"));
            assertEquals(1, one.exitCode(), one.all());
        }
    }
}
