package io.github.miniomigrator.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** A pass under faults judged by what the stores hold, the report serving only to name what failed. */
public final class StoredBytes {
    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    private StoredBytes() {
    }

    /** The JSON report of the last `copy` these stores' runs wrote. */
    public static JsonNode lastCopyReport(TestStores stores) throws Exception {
        try (Stream<Path> files = Files.list(stores.work().resolve("reports"))) {
            Path last = files.filter(p -> p.getFileName().toString().startsWith("copy-")).sorted().reduce((a, b) -> b).orElseThrow();
            return new ObjectMapper().readTree(last.toFile());
        }
    }

    /** The keys the last copy report names as failed (its first mapping). */
    public static Set<String> failedKeys(TestStores stores) throws Exception {
        Set<String> failed = new HashSet<>();
        lastCopyReport(stores).get("mappings").get(0).get("failures")
                .forEach(f -> failed.add(f.asText().substring(0, f.asText().indexOf(": "))));
        return failed;
    }

    /**
     * Every target object equals its source object byte for byte, and every source key is in place or named as failed
     * by the last copy report. S3Proxy's own leftovers of requests cut off mid-way, which real stores keep invisible, are
     * not objects: a ".mpus-" stub of a multipart upload whose create was cut after the server had it (nobody learnt its
     * id), and an empty blob named by a UUID for a PUT whose body never came.
     *
     * @return the keys named as failed
     */
    public static Set<String> assertRightOrNamedFailed(TestStores stores, String sourceBucket, String targetBucket, String context)
            throws Exception {
        Map<String, String> source = TestStores.contents(stores.sourceClient, sourceBucket, "");
        Map<String, String> target = TestStores.contents(stores.targetClient, targetBucket, "");
        target.keySet().removeIf(k -> !source.containsKey(k) && (k.startsWith(".mpus-") || (k.matches(UUID) && target.get(k).startsWith("0:"))));
        Set<String> failed = failedKeys(stores);
        for (Map.Entry<String, String> object : target.entrySet()) {
            assertEquals(source.get(object.getKey()), object.getValue(), "a target object is whole and right: " + object.getKey());
        }
        for (String key : source.keySet()) {
            assertTrue(target.containsKey(key) || failed.contains(key), key + " is in place or named as failed: " + context);
        }
        return failed;
    }

    /**
     * A pass from bucket src into dst under backup/ did exactly its job: the report's counts are right, the prefix holds
     * exactly the source's keys, and the keys outside the prefix stay.
     */
    public static void assertPrefixMirrorsSource(TestStores stores, JsonNode pass, int sourceObjects, long identical, int extras,
            java.util.Collection<String> outside) {
        org.junit.jupiter.api.Assertions.assertEquals(sourceObjects, pass.get("sourceObjects").asInt());
        org.junit.jupiter.api.Assertions.assertEquals(identical, pass.get("identicalObjects").asLong());
        org.junit.jupiter.api.Assertions.assertEquals(sourceObjects - identical, pass.get("copiedObjects").asLong());
        org.junit.jupiter.api.Assertions.assertEquals(extras, pass.get("deletedObjects").asInt(),
                pass.toString().replaceAll("\\{\"seconds[^}]*\\},?", ""));
        org.junit.jupiter.api.Assertions.assertEquals(TestStores.listed(stores.sourceClient, "src", ""),
                TestStores.listed(stores.targetClient, "dst", "backup/"), "the prefix holds exactly the source");
        org.junit.jupiter.api.Assertions.assertTrue(TestStores.keys(stores.targetClient, "dst").containsAll(outside),
                "keys outside the prefix stay");
    }
}
