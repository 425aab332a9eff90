package io.github.miniomigrator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.miniomigrator.support.Rgw;
import io.github.miniomigrator.support.TestStores;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Many small objects RGW -> RGW through each client whose sockets ask for quick acks (the AWS SDK's over https, the
 * MinIO client's over http and https): RGW's beast, Nagle on by default, answers in two writes, and every object must
 * still arrive whole. The re-armed reads themselves are counted in QuickAckSocketsTest; the time they save is measured
 * by bench/rgw-small.sh, not asserted here.
 */
@Tag("process")
class RgwSmallObjectsIT {
    private static final int OBJECTS = 300;
    private static TestStores stores;
    private static String from;
    private static Map<String, String> expected;

    @BeforeAll
    static void start() throws Exception {
        stores = new TestStores(false);
        Rgw rgw = Rgw.shared();
        from = rgw.bucket("small-src");
        Map<String, byte[]> objects = new LinkedHashMap<>();
        for (int i = 0; i < OBJECTS; i++) {
            objects.put(String.format("scan/%03d/%d.bin", i / 50, i), RgwIT.bytes(4096 + i, i));
        }
        TestStores.putAll(rgw.client(), from, objects);
        expected = TestStores.contents(rgw.client(), from, "");
        assertEquals(OBJECTS, expected.size());
    }

    @AfterAll
    static void stop() throws Exception {
        if (stores != null) {
            stores.close();
        }
    }

    @ParameterizedTest(name = "source read through {0}, over {1}")
    @CsvSource({"generic, https", "minio, https", "minio, http"})
    void everySmallObjectArrivesWhole(String sourceProvider, String scheme) throws Exception {
        Rgw rgw = Rgw.shared();
        String to = rgw.bucket("small-" + sourceProvider + "-" + scheme);
        List<String> args = new ArrayList<>(stores.arguments(from + ":" + to, "migration.concurrency=4"));
        args.addAll(scheme.equals("https") ? rgw.asSourceAndTargetOverTls() : TestStores.with(rgw.asSource(), rgw.asTarget().toArray(String[]::new)));
        args.add("migration.source.provider=" + sourceProvider);
        if (sourceProvider.equals("minio")) {
            args.remove("migration.source.path-style=true"); // camel-minio finds its own addressing
        }
        long started = System.nanoTime();
        TestStores.Run copy = stores.run("copy", args);
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(0, copy.exitCode(), copy.all());
        System.out.printf("RgwSmallObjectsIT: %d x 4 KiB, source %s over %s: %d ms (%.1f ms per object)%n", OBJECTS, sourceProvider,
                scheme, millis, millis / (double) OBJECTS);
        assertEquals(OBJECTS, CopyIT.lastReport(stores).get("mappings").get(0).get("copiedObjects").asInt(), copy.out());
        assertEquals(expected, TestStores.contents(rgw.client(), to, ""), "every object's size and bytes");
        TestStores.Run verify = stores.run("verify", TestStores.with(args, "migration.verify.sample=all"));
        assertEquals(0, verify.exitCode(), verify.all());
    }
}
