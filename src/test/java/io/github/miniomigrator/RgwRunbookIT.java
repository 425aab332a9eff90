package io.github.miniomigrator;

import static io.github.miniomigrator.support.TestStores.contents;
import static io.github.miniomigrator.support.TestStores.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.support.Rgw;
import io.github.miniomigrator.support.TestStores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The runbook against a real Ceph RGW end to end, both directions (issue 20): RGW → S3Proxy-as-OSS, S3Proxy-as-MinIO →
 * RGW and RGW → RGW — copy, the no-op re-run, verify with and without {@code sample=all}, remove with extras and folder
 * objects, a tampered object found and repaired; kill -9 of the packaged jar during multipart uploads to RGW, the leftovers listed by RGW and aborted on the
 * next start; with RGW as the target a cutover (ZooKeeper) and the fallback direction RGW → MinIO. Judged by the stored
 * bytes and exit codes. The RGW cluster is the JVM's shared one ({@link Rgw}): buckets of their own per test.
 */
@Tag("process")
class RgwRunbookIT {
    static final List<String> PARTS = List.of("migration.multipart.threshold=6MiB", "migration.multipart.part-size=5MiB");
    static final byte[] BIG = RgwIT.bytes((12 << 20) + 12345, 20); // three parts of 5 MiB at the settings above

    private static TestStores stores;

    @BeforeAll
    static void start() throws Exception {
        stores = new TestStores(false);
    }

    @AfterAll
    static void stop() throws Exception {
        stores.close();
    }

    /** Source objects: awkward keys, a multipart-sized one, folder objects (0-byte keys ending in '/'). */
    static Map<String, byte[]> sourceObjects() {
        Map<String, byte[]> objects = new LinkedHashMap<>();
        for (String key : List.of("a b/with space.txt", "plus+sign.txt", "100%.txt", "pct%20literal.txt", "中文/文件 名.pdf",
                "mixed/a+b c%d 张三.tif", "dir/sub/in.txt")) {
            objects.put(key, ("content of " + key).getBytes(StandardCharsets.UTF_8));
        }
        objects.put("big/12MiB 大.bin", BIG);
        objects.put("dir/", new byte[0]);
        objects.put("dir/sub/", new byte[0]);
        objects.put("空 目录/", new byte[0]);
        return objects;
    }

    /**
     * The pass with remove, through a proxy that counts the target's delete requests where the target speaks plain
     * http: the store takes the extras in one DeleteObjects request (Content-MD5, no SDK checksum header), none singly
     * (the preflight's canary is deleted on its own, as always) —
     * a store that refused it would have them deleted one by one, silently.
     */
    private static TestStores.Run removeThroughAProxy(String label, List<String> remove) throws Exception {
        String endpoint = remove.stream().filter(a -> a.startsWith("migration.target.endpoint=")).reduce((a, b) -> b).orElseThrow()
                .substring("migration.target.endpoint=".length());
        if (!endpoint.startsWith("http://")) {
            return stores.run("copy", remove);
        }
        java.util.List<String> batches = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.concurrent.atomic.AtomicInteger singles = new java.util.concurrent.atomic.AtomicInteger();
        try (io.github.miniomigrator.support.FaultyProxy proxy = io.github.miniomigrator.support.FaultyProxy.seeing(RemoveIT.portOf(endpoint), r -> {
            if (r.method().equals("POST") && r.path().contains("?delete")) {
                batches.add(r.head().toLowerCase(java.util.Locale.ROOT));
            } else if (r.method().equals("DELETE") && !r.path().contains("uploadId=") && !r.path().contains(".minio-migrator-canary-")) {
                singles.incrementAndGet();
            }
            return io.github.miniomigrator.support.FaultyProxy.Fault.PASS;
        })) {
            TestStores.Run run = stores.run("copy", TestStores.with(remove, "migration.target.endpoint=" + proxy.endpoint()));
            assertEquals(1, batches.size(), label + ": the extras in one DeleteObjects request: " + run.all());
            assertTrue(batches.get(0).contains("\r\ncontent-md5: ") && !batches.get(0).contains("x-amz-checksum"), label + ": " + batches.get(0));
            assertEquals(0, singles.get(), label + ": no extra deleted singly");
            return run;
        }
    }

    /** Objects only the target has, which migration.remove=true deletes: an awkward key and a folder object among them. */
    static Map<String, byte[]> extras() {
        Map<String, byte[]> objects = new LinkedHashMap<>();
        objects.put("extra/old+1 旧.txt", "old".getBytes(StandardCharsets.UTF_8));
        objects.put("old-folder/", new byte[0]);
        objects.put("dir/sub/gone 100%.txt", "gone".getBytes(StandardCharsets.UTF_8));
        return objects;
    }

    /**
     * copy (extras stay), the no-op re-run, copy with migration.remove=true (extras and the target's own folder object go),
     * the no-op re-run with remove, a same-size tampered object found by verify sample=all and repaired by copy, verify and
     * verify sample=all; every step judged by the stored bytes.
     */
    static void runbook(String label, S3Client source, String from, S3Client target, String to, List<String> base) throws Exception {
        TestStores.putAll(source, from, sourceObjects());
        TestStores.putAll(target, to, extras());
        Map<String, String> expected = contents(source, from, "");
        assertEquals(sourceObjects().keySet(), expected.keySet(), label + ": the source lists every key, folder objects too");

        TestStores.Run copy = stores.run("copy", base);
        assertEquals(0, copy.exitCode(), label + ": " + copy.all());
        assertEquals(sourceObjects().size(), CopyIT.lastReport(stores).get("mappings").get(0).get("copiedObjects").asInt(), label + ": " + copy.out());
        Map<String, String> withExtras = new TreeMap<>(expected);
        extras().forEach((key, body) -> withExtras.put(key, body.length + ":" + md5Hex(body)));
        assertEquals(withExtras, contents(target, to, ""), label + ": everything copied byte for byte, the extras untouched without remove");
        assertTrue(TestStores.head(target, to, "big/12MiB 大.bin").eTag().contains("-"), label + ": the big object went up in parts");

        TestStores.Run again = stores.run("copy", base);
        assertEquals(0, again.exitCode(), label + ": " + again.all());
        assertEquals(0, CopyIT.lastReport(stores).get("mappings").get(0).get("copiedObjects").asInt(), label + ": the no-op pass " + again.out());

        List<String> remove = TestStores.with(base, "migration.remove=true");
        TestStores.Run removing = removeThroughAProxy(label, remove);
        assertEquals(0, removing.exitCode(), label + ": " + removing.all());
        assertEquals(expected, contents(target, to, ""), label + ": the extras are gone, the source's folder objects stay");
        assertEquals(new TreeSet<>(TestStores.keys(source, from)), new TreeSet<>(TestStores.keys(target, to)), label);
        TestStores.Run noop = stores.run("copy", remove);
        assertEquals(0, noop.exitCode(), label + ": " + noop.all());
        assertEquals(0, CopyIT.lastReport(stores).get("mappings").get(0).get("copiedObjects").asInt(), label + ": " + noop.out());
        assertEquals(expected, contents(target, to, ""), label + ": the no-op pass with remove deleted nothing");

        // tamper: another writer replaces the bytes of an awkward key (same size) and carries the copy's metadata over
        String tampered = "mixed/a+b c%d 张三.tif";
        byte[] original = sourceObjects().get(tampered);
        byte[] other = original.clone();
        other[0] ^= 1;
        put(target, to, tampered, other, "application/octet-stream", TestStores.head(target, to, tampered).metadata());
        TestStores.Run found = stores.run("verify", TestStores.with(base, "migration.verify.sample=all"));
        assertEquals(1, found.exitCode(), label + ": " + found.all());
        assertTrue(found.out().contains("* " + tampered), label + ": the tampered object is named: " + found.out());
        TestStores.Run repair = stores.run("copy", remove);
        assertEquals(0, repair.exitCode(), label + ": " + repair.all());
        assertEquals(1, CopyIT.lastReport(stores).get("mappings").get(0).get("copiedObjects").asInt(), label + ": " + repair.out());
        assertEquals(expected, contents(target, to, ""), label + ": repaired");

        TestStores.Run verify = stores.run("verify", base);
        assertEquals(0, verify.exitCode(), label + ": " + verify.all());
        TestStores.Run all = stores.run("verify", TestStores.with(base, "migration.verify.sample=all"));
        assertEquals(0, all.exitCode(), label + ": " + all.all());
        assertEquals(expected, contents(source, from, ""), label + ": the source untouched");
    }

    @Test
    void rgwToS3proxyAsOss() throws Exception {
        Rgw rgw = Rgw.shared();
        String from = rgw.bucket("rb-src");
        String to = unique("rb-oss");
        stores.targetClient.createBucket(b -> b.bucket(to));
        List<String> args = new ArrayList<>(stores.arguments(from + ":" + to, "migration.target.provider=oss",
                "migration.target.path-style=true", "migration.state.dir=" + stores.work().resolve("state-" + to)));
        args.addAll(PARTS);
        args.addAll(rgw.asSource());
        runbook("RGW -> OSS", rgw.client(), from, stores.targetClient, to, args);
    }

    /**
     * S3Proxy as MinIO → RGW: the runbook, then the cutover (ZooKeeper), the application's writes on RGW after the switch
     * (awkward keys, one multipart-sized, a rewrite, a delete) and the fallback pass that brings MinIO level with RGW.
     */
    @Test
    void minioToRgwThenCutoverAndFallback() throws Exception {
        Rgw rgw = Rgw.shared();
        String from = unique("rb-minio");
        stores.sourceClient.createBucket(b -> b.bucket(from));
        String to = rgw.bucket("rb-dst");
        List<String> args = new ArrayList<>(stores.arguments(from + ":" + to, "migration.state.dir=" + stores.work().resolve("state-" + to)));
        args.addAll(PARTS);
        args.addAll(rgw.asTarget());
        runbook("MinIO -> RGW", stores.sourceClient, from, rgw.client(), to, args);

        try (TestingServer zkServer = new TestingServer(true); ZooKeeper zk = ClusterDrainIT.connect(zkServer.getConnectString())) {
            zk.create("/api-archive", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            zk.create("/api-archive/pri", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            zk.create("/api-archive/pri/storeType", "2".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            Path plan = stores.work().resolve("plan-" + to + ".txt");
            Files.writeString(plan, "/api-archive/pri=storeType=4\n");
            List<String> cutoverArgs = TestStores.with(args, "migration.events.mode=off", "migration.remove=true",
                    "migration.cutover.zookeeper=" + zkServer.getConnectString(), "migration.cutover.quiet-period=0s",
                    "migration.cutover.plan=" + plan);
            TestStores.Run cutover = stores.run("cutover", cutoverArgs);
            assertEquals(0, cutover.exitCode(), cutover.all());
            assertTrue(cutover.out().contains("Recorded: the application writes to " + to + " from now on"), cutover.out());
            assertTrue(cutover.out().contains("Smoke test passed."), "the smoke test read RGW's objects back: " + cutover.out());
            assertEquals("4", new String(zk.getData("/api-archive/pri/storeType", false, null), StandardCharsets.UTF_8));

            // the application on RGW after the switch
            S3Client app = rgw.client();
            put(app, to, "after/新 文件+1%.txt", "new 1".getBytes(StandardCharsets.UTF_8));
            put(app, to, "after/with space.txt", "new 2".getBytes(StandardCharsets.UTF_8));
            put(app, to, "after/", new byte[0]);
            put(app, to, "after/big 大+%.bin", RgwIT.bytes((12 << 20) + 7, 21)); // MinIO gets it in parts
            put(app, to, "plus+sign.txt", "rewritten by the application".getBytes(StandardCharsets.UTF_8));
            app.deleteObject(b -> b.bucket(to).key("100%.txt"));
            Map<String, String> onRgw = contents(app, to, "");

            TestStores.Run refused = stores.run("copy", cutoverArgs);
            assertEquals(2, refused.exitCode(), "the forward sync is refused after the switch: " + refused.all());
            TestStores.Run fallback = stores.run("fallback", cutoverArgs);
            assertEquals(0, fallback.exitCode(), fallback.all());
            assertTrue(fallback.out().contains("MinIO is level with the target: 4 object(s) written, 1 rewritten and 1 deleted"),
                    fallback.out());
            assertEquals(onRgw, contents(stores.sourceClient, from, ""), "MinIO holds, byte for byte, what the application left on RGW");
            assertEquals(onRgw, contents(app, to, ""), "RGW untouched by the fallback pass");
            TestStores.Run noop = stores.run("fallback", cutoverArgs);
            assertEquals(0, noop.exitCode(), noop.all());
            assertTrue(noop.out().contains("MinIO is level with the target: 0 object(s) written, 0 rewritten and 0 deleted"), noop.out());
        }
    }

    /**
     * RGW → RGW: the runbook, then kill -9 of the packaged jar while multipart uploads to RGW are under way: RGW lists the
     * leftovers (with their start times), the next start aborts them, RGW lists no unfinished upload afterwards and the
     * target equals the source.
     */
    @Test
    void rgwToRgwThenKillNineDuringMultipartUploads() throws Exception {
        Rgw rgw = Rgw.shared();
        String from = rgw.bucket("rb-rgw-src");
        String to = rgw.bucket("rb-rgw-dst");
        Path state = stores.work().resolve("state-" + to);
        List<String> args = new ArrayList<>(stores.arguments(from + ":" + to, "migration.state.dir=" + state));
        args.addAll(PARTS);
        args.addAll(rgw.asSource());
        args.addAll(rgw.asTarget());
        runbook("RGW -> RGW", rgw.client(), from, rgw.client(), to, args);

        for (int i = 0; i < 3; i++) {
            long size = (16L << 20) + i;
            rgw.client().putObject(b -> b.bucket(from).key("kill/大 " + size + "+%.bin"), RequestBody.fromContentProvider(
                    () -> new JarIT.PatternStream(size), size, "application/octet-stream"));
        }
        Path journal = state.resolve("uploads");
        Process copy = JarIT.start(stores, "-Xmx256m", "copy", TestStores.with(args, "migration.bandwidth=6M", "migration.concurrency=4"));
        // killed once the journal holds two uploads and RGW has stored a part of one: leftovers with bytes in them
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(journalledUploads(journal) >= 2 && partsStored(rgw.client(), to) > 0) && System.nanoTime() < deadline && copy.isAlive()) {
            Thread.sleep(50);
        }
        if (journalledUploads(journal) < 2 || partsStored(rgw.client(), to) == 0) {
            copy.destroyForcibly();
            throw new AssertionError("no uploads with stored parts under way: " + JarIT.output(copy, 30));
        }
        copy.destroyForcibly(); // SIGKILL: no shutdown hook, no abort
        assertTrue(copy.waitFor(30, TimeUnit.SECONDS));
        String killed = JarIT.output(copy, 5);
        var left = rgw.client().listMultipartUploads(b -> b.bucket(to)).uploads();
        assertTrue(left.size() >= 2, "the kill left unfinished uploads on RGW: " + left + "\n" + killed);
        assertTrue(left.stream().allMatch(u -> u.initiated() != null), "RGW lists them with their start times: " + left);

        TestStores.Run again = stores.run("copy", args);
        assertEquals(0, again.exitCode(), again.all());
        assertTrue(again.out().contains("Aborted " + left.size() + " unfinished multipart uploads ("), again.out());
        assertTrue(!again.out().contains("unfinished multipart uploads (0 B in their parts)"), "the parts RGW held are counted: " + again.out());
        assertEquals(List.of(), rgw.client().listMultipartUploads(b -> b.bucket(to)).uploads(), "RGW lists no unfinished upload");
        assertEquals(0, journalledUploads(journal), "the journal is empty");
        assertEquals(contents(rgw.client(), from, ""), contents(rgw.client(), to, ""));
        TestStores.Run verify = stores.run("verify", TestStores.with(args, "migration.verify.sample=all"));
        assertEquals(0, verify.exitCode(), verify.all());
    }

    /** How many parts RGW holds of the bucket's unfinished uploads. */
    private static int partsStored(S3Client rgw, String bucket) {
        int parts = 0;
        for (var upload : rgw.listMultipartUploads(b -> b.bucket(bucket)).uploads()) {
            parts += rgw.listParts(b -> b.bucket(bucket).key(upload.key()).uploadId(upload.uploadId())).parts().size();
        }
        return parts;
    }

    private static long journalledUploads(Path journal) throws IOException {
        if (!Files.isDirectory(journal)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(journal)) {
            return files.filter(f -> f.toString().endsWith(".upload")).filter(f -> {
                try {
                    return Files.readAllLines(f).stream().anyMatch(l -> l.startsWith("uploadId="));
                } catch (IOException e) {
                    return false; // being written or just removed
                }
            }).count();
        }
    }

    static String unique(String prefix) {
        return (prefix + "-" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
    }


    static String md5Hex(byte[] body) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(body));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
