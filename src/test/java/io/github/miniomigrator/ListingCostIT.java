package io.github.miniomigrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.demo.EmbeddedS3Server;
import io.github.miniomigrator.support.FaultyProxy;
import io.github.miniomigrator.support.TestStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What a pass split by directory asks of the target, counted by a proxy in front of it (issue 21: over a link far
 * away each request costs a round trip): a directory the target has not got costs no listing and no folder-object
 * HEAD, and a directory's folder object is looked up only where a listing cannot answer. S3Proxy's filesystem-nio2
 * store, as in the benchmark, on both sides.
 */
@Tag("store")
class ListingCostIT {
    private static final int DIRECTORIES = 60;

    @Test
    void anEmptyTargetIsListedOnceAndADirectoryCostsTheTargetOnlyItsListing() throws Exception {
        Path data = Files.createTempDirectory("listing-cost");
        try (TestStores stores = new TestStores(
                EmbeddedS3Server.startNio2("source-access", TestStores.SOURCE_SECRET, Files.createDirectories(data.resolve("source"))),
                EmbeddedS3Server.startNio2("target-access", TestStores.TARGET_SECRET, Files.createDirectories(data.resolve("target"))))) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            for (int d = 0; d < DIRECTORIES; d++) {
                for (int i = 0; i < 2; i++) {
                    TestStores.put(stores.sourceClient, "src", String.format("dir-%03d/file-%d.txt", d, i),
                            ("object " + d + "/" + i).getBytes(StandardCharsets.UTF_8));
                }
            }
            // two folder objects on the source: their target twins are looked up where the target's listing leaves them out
            TestStores.put(stores.sourceClient, "src", "dir-000/", new byte[0]);
            TestStores.put(stores.sourceClient, "src", "dir-001/", new byte[0]);
            Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
            try (FaultyProxy target = FaultyProxy.seeing(RemoveIT.portOf(stores.target.endpoint()), request -> {
                if (request.path().contains("/dst")) {
                    requests.computeIfAbsent(kind(request), k -> new AtomicInteger()).incrementAndGet();
                }
                return FaultyProxy.Fault.PASS;
            })) {
                var args = stores.arguments("src:dst", "migration.target.endpoint=" + target.endpoint());
                TestStores.Run copy = stores.run("copy", args);
                assertEquals(0, copy.exitCode(), copy.all());
                assertEquals(new TreeSet<>(TestStores.keys(stores.sourceClient, "src")), new TreeSet<>(TestStores.keys(stores.targetClient, "dst")));
                int lists = count(requests, "LIST");
                int heads = count(requests, "HEAD");
                System.out.println("listing cost, first copy to an empty target: " + requests);
                // before: a listing and a folder-object HEAD per directory (61 LISTs, 62 HEADs here); now the level's listing
                // (and the preflight's few) whatever the number of directories
                assertTrue(lists < 10, "target listings on an empty target: " + requests);
                assertTrue(heads < 10, "target HEADs on an empty target: " + requests);

                requests.clear();
                TestStores.Run again = stores.run("copy", args);
                assertEquals(0, again.exitCode(), again.all());
                assertEquals(0, CopyIT.lastReport(stores).get("mappings").get(0).get("copiedObjects").asInt(), again.out());
                // the no-op pass lists each directory the target has (the comparison needs it), and HEADs only the two
                // folder objects the source holds (this store leaves them out of the listing under their own prefix)
                System.out.println("listing cost, no-op pass: " + requests);
                assertTrue(count(requests, "LIST") >= DIRECTORIES, "each directory the target has is listed: " + requests);
                assertTrue(count(requests, "HEAD") < 2 + 10, "a folder-object HEAD only where the listing cannot answer: " + requests);
            }
        }
    }

    private static String kind(FaultyProxy.Request request) {
        boolean listing = request.method().equals("GET") && (request.path().contains("list-type=") || request.path().contains("prefix="));
        return listing ? "LIST" : request.method();
    }

    private static int count(Map<String, AtomicInteger> requests, String kind) {
        AtomicInteger n = requests.get(kind);
        return n == null ? 0 : n.get();
    }
}
