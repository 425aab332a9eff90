package io.github.miniomigrator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.miniomigrator.support.HeldAnswers;
import io.github.miniomigrator.support.TestStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

/**
 * What a fallback pass with nothing to do costs (README, After the switch): 10,000 objects copied and cut over, then
 * `fallback` timed (after one warm-up pass) with every request to either store counted by a proxy. On demand only:
 * {@code mvn -B verify -Dtest=FallbackCostBench -DskipITs -Dsurefire.failIfNoSpecifiedTests=false} (its name matches no
 * default pattern). Objects per run: -Dbench.objects (10000).
 */
class FallbackCostBench {
    @Test
    void aFallbackPassWithNothingToDo() throws Exception {
        int objects = Integer.getInteger("bench.objects", 10_000);
        try (TestStores stores = new TestStores(false); TestingServer zooKeeper = new TestingServer(true)) {
            stores.source.createBucket("archive-temp");
            stores.target.createBucket("oss-temp");
            Map<String, byte[]> seeded = new TreeMap<>();
            for (int i = 0; i < objects; i++) {
                seeded.put(String.format("scans/%02d/scan-%05d.tif", i % 20, i), ("scan " + i).getBytes(StandardCharsets.UTF_8));
            }
            TestStores.putAll(stores.sourceClient, "archive-temp", seeded);
            Path plan = stores.work().resolve("plan.txt");
            Files.writeString(plan, "/api-archive/pri=storeType=4\n");
            List<String> args = stores.arguments("archive-temp:oss-temp", "migration.events.mode=off", "migration.remove=true",
                    "migration.cutover.zookeeper=" + zooKeeper.getConnectString(), "migration.cutover.quiet-period=0s",
                    "migration.cutover.plan=" + plan, "migration.cutover.smoke-test=false", "migration.concurrency=16");
            assertEquals(0, stores.run("copy", args).exitCode());
            assertEquals(0, stores.run("cutover", args).exitCode());
            try (HeldAnswers minio = new HeldAnswers(stores.source.endpoint(), r -> false, true, Duration.ZERO);
                    HeldAnswers oss = new HeldAnswers(stores.target.endpoint(), r -> false, true, Duration.ZERO)) {
                List<String> counted = new ArrayList<>(args);
                counted.add("migration.source.endpoint=" + minio.proxy.endpoint());
                counted.add("migration.target.endpoint=" + oss.proxy.endpoint());
                assertEquals(0, stores.run("fallback", counted).exitCode(), "warm-up");
                List<Double> seconds = new ArrayList<>();
                int before = minio.paths("GET").size() + minio.paths("HEAD").size() + minio.paths("PUT").size();
                int ossBefore = oss.paths("GET").size() + oss.paths("HEAD").size();
                int rounds = 3;
                for (int round = 0; round < rounds; round++) {
                    long start = System.nanoTime();
                    TestStores.Run run = stores.run("fallback", counted);
                    seconds.add((System.nanoTime() - start) / 1e9);
                    assertEquals(0, run.exitCode(), run.all());
                }
                System.out.printf("FALLBACK-COST %d objects, nothing to do: %s s per pass (%d rounds after a warm-up)%n", objects,
                        seconds.stream().map(s -> String.format("%.2f", s)).collect(Collectors.joining(", ")), rounds);
                System.out.printf("FALLBACK-COST requests per pass: OSS side %s; MinIO side %s%n", perPass(oss, rounds + 1),
                        perPass(minio, rounds + 1));
                System.out.printf("FALLBACK-COST (MinIO GET+HEAD+PUT over the timed rounds: %d; OSS GET+HEAD: %d)%n",
                        minio.paths("GET").size() + minio.paths("HEAD").size() + minio.paths("PUT").size() - before,
                        oss.paths("GET").size() + oss.paths("HEAD").size() - ossBefore);
            }
        }
    }

    /** Requests by method, split into listings (GET on the bucket, with a query) and object GETs, per pass. */
    static String perPass(HeldAnswers side, int passes) {
        Map<String, Integer> counts = new TreeMap<>();
        for (String method : List.of("GET", "HEAD", "PUT", "POST", "DELETE")) {
            for (String path : side.paths(method)) {
                String kind = method.equals("GET") && (path.contains("?list-type") || path.contains("?prefix") || path.contains("?delimiter")
                        || path.contains("&list-type") || path.contains("?max-keys") || path.contains("?marker")) ? "LIST" : method;
                counts.merge(kind, 1, Integer::sum);
            }
        }
        return counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue() / (double) passes).collect(Collectors.joining(", "));
    }
}
