package io.github.miniomigrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.miniomigrator.support.CapturedLog;
import io.github.miniomigrator.support.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * A large object copied in parts under migration.bandwidth: the progress line shows its bytes while it is in flight
 * (a % strictly between 0 and 100 with nothing copied yet), and the report's chart is a line at the throttle, not a
 * spike when the object lands.
 */
@Tag("store")
@Tag("slow")
class ProgressIT {
    private static final long BANDWIDTH = 4L << 20;
    private static final Pattern DONE = Pattern.compile("src -> dst: 1 source objects listed \\(24\\.0 MiB\\), ([0-9.]+)% done \\(([^)]+)\\); 0 copied \\(0 B\\)");

    @Test
    void aLargeObjectInFlightShowsItsBytesAndTheChartStaysAtTheThrottle() throws Exception {
        try (TestStores stores = new TestStores(false);
                CapturedLog log = new CapturedLog(List.of("io.github.miniomigrator.command"))) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            byte[] body = new byte[24 << 20];
            new java.util.Random(22).nextBytes(body);
            stores.sourceClient.putObject(b -> b.bucket("src").key("big.bin"), RequestBody.fromBytes(body));

            TestStores.Run run = stores.run("copy", stores.arguments("src:dst", "migration.progress.interval=1s",
                    "migration.bandwidth=4M", "migration.multipart.threshold=6MiB", "migration.multipart.part-size=5MiB"));
            assertEquals(0, run.exitCode(), run.all());
            assertEquals(TestStores.md5(stores.sourceClient, "src", "big.bin"), TestStores.md5(stores.targetClient, "dst", "big.bin"));

            // lines written while the one object was in flight (nothing copied yet) with its bytes counted in the %
            String lines = log.text();
            Matcher inFlight = DONE.matcher(lines);
            boolean between = false;
            while (inFlight.find()) {
                double percent = Double.parseDouble(inFlight.group(1));
                between |= percent > 0 && percent < 100 && !inFlight.group(2).equals("0 B");
            }
            assertTrue(between, "no progress line showed the object's bytes in flight:\n" + lines);

            JsonNode points = new ObjectMapper().readTree(Files.readString(newest(stores, ".json"))).get("mappings").get(0).get("throughput");
            int moving = 0;
            for (int i = 1; i < points.size(); i++) {
                double seconds = points.get(i).get("seconds").asDouble() - points.get(i - 1).get("seconds").asDouble();
                long bytes = points.get(i).get("bytes").asLong() - points.get(i - 1).get("bytes").asLong();
                assertTrue(bytes <= 3 * BANDWIDTH * Math.max(1, seconds), "a sample above the throttle: " + bytes + " bytes in " + seconds
                        + " s; " + points);
                moving += bytes > 0 ? 1 : 0;
            }
            assertTrue(moving > 1, "the chart's bytes came in one spike: " + points);
            assertEquals(24 << 20, points.get(points.size() - 1).get("bytes").asLong(), "every byte moved once (no retry): " + points);
        }
    }

    static Path newest(TestStores stores, String suffix) throws Exception {
        try (Stream<Path> files = Files.list(stores.work().resolve("reports"))) {
            return files.filter(f -> f.getFileName().toString().startsWith("copy-") && f.toString().endsWith(suffix)).sorted()
                    .reduce((a, b) -> b).orElseThrow();
        }
    }
}
