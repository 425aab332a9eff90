package io.github.miniomigrator;

import static io.github.miniomigrator.support.TestStores.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.miniomigrator.support.StoredBytes;
import io.github.miniomigrator.support.TestStores;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A pass over buckets large enough to be listed in ranges, several at once, on real servers (S3Proxy lists in UTF-16
 * order and pages by 1,000): keys whose characters make the two key orders disagree sit next to the range
 * boundaries, the target is under a prefix with keys around it, identical, changed and extra keys spread over every
 * range. The ranged pass must do exactly what one listing would: copy what differs, keep what is equal, delete the
 * extras under the prefix and nothing else.
 */
@Tag("store")
class ParallelListingIT {
    @Test
    void aRangedPassCopiesKeepsAndDeletesExactlyAsOneListingWould() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            Map<String, byte[]> source = new HashMap<>();
            for (int i = 0; i < 1500; i++) {
                source.put(String.format("scan/%02d/%04d.pdf", i % 30, i), body(i));
            }
            String[] odd = {"scan/05/😀.pdf", "scan/05/（1）.pdf", "scan/1", "scan/1😀", "scan/1（", "scan/2", "scan/\uE000x", "😀top", "（top", "!first",
                "scan/29/\uFFFDlast", "scan/0", "scan/00", "scan/00/"};
            for (int i = 0; i < odd.length; i++) {
                source.put(odd[i], body(10_000 + i));
            }
            Map<String, byte[]> target = new HashMap<>();
            int n = 0;
            for (Map.Entry<String, byte[]> entry : source.entrySet()) {
                int kind = n++ % 4;
                if (kind == 1) {
                    target.put("backup/" + entry.getKey(), entry.getValue()); // identical
                } else if (kind == 2) {
                    target.put("backup/" + entry.getKey(), "changed".getBytes(StandardCharsets.UTF_8));
                }
            }
            List<String> extras = List.of("backup/scan/05/😀😀.pdf", "backup/scan/1（x", "backup/scan/13/9999.pdf", "backup/zzz", "backup/ ", "backup/😀",
                    "backup/scan/19", "backup/scan/20/", "backup/scan/1～");
            extras.forEach(key -> target.put(key, "extra".getBytes(StandardCharsets.UTF_8)));
            Map<String, byte[]> outside = Map.of("backup", "x".getBytes(), "backup-other/scan/1", "y".getBytes(), "a", "z".getBytes(),
                    "backuq", "w".getBytes());
            target.putAll(outside);
            TestStores.putAll(stores.sourceClient, "src", source);
            TestStores.putAll(stores.targetClient, "dst", target);
            long identical = target.keySet().stream().filter(k -> k.startsWith("backup/")
                    && source.containsKey(k.substring(7)) && new String(target.get(k), StandardCharsets.UTF_8).startsWith("body ")).count();

            TestStores.Run run = stores.run("copy", stores.arguments("src:dst/backup", "migration.remove=true", "migration.max-delete=-1",
                    "migration.listing.concurrency=4", "migration.listing.split=ranges"));
            assertEquals(0, run.exitCode(), run.all());
            JsonNode pass = StoredBytes.lastCopyReport(stores).get("mappings").get(0);
            assertTrue(pass.get("listedRanges").asInt() >= 8, "listed in ranges: " + pass.get("listedRanges"));
            StoredBytes.assertPrefixMirrorsSource(stores, pass, source.size(), identical, extras.size(), outside.keySet());

            // the same buckets in one listing: nothing left to do
            run = stores.run("copy", stores.arguments("src:dst/backup", "migration.remove=true", "migration.listing.split=none"));
            assertEquals(0, run.exitCode(), run.all());
            pass = StoredBytes.lastCopyReport(stores).get("mappings").get(0);
            assertEquals(1, pass.get("listedRanges").asInt());
            assertEquals(0, pass.get("copiedObjects").asInt());
            assertEquals(0, pass.get("deletedObjects").asInt());
            assertEquals(source.size(), pass.get("identicalObjects").asInt());
        }
    }

    private static byte[] body(int i) {
        return ("body " + i).getBytes(StandardCharsets.UTF_8);
    }
}
