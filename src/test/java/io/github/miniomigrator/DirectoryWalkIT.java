package io.github.miniomigrator;

import static io.github.miniomigrator.support.TestStores.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.miniomigrator.demo.EmbeddedS3Server;
import io.github.miniomigrator.support.StoredBytes;
import io.github.miniomigrator.support.TestStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A pass split by directory (the default) on real servers, S3Proxy's filesystem-nio2 store as in the benchmark (it
 * walks directories, lists in UTF-16 order and shows folder objects through MinIO's client as prefixes): keys at the
 * top and in directories, folder objects, a key named like a directory, characters the two key orders disagree on, a
 * directory only the target has, the target under a prefix with keys around it. The pass must do exactly what one
 * listing would: copy what differs, keep what is equal, delete the extras under the prefix and nothing else.
 */
@Tag("store")
@Tag("slow")
class DirectoryWalkIT {
    @Test
    void onAStoreOfFilesAsInTheBenchmark() throws Exception {
        Path data = Files.createTempDirectory("directory-walk");
        try (TestStores stores = new TestStores(
                EmbeddedS3Server.startNio2("source-access", TestStores.SOURCE_SECRET, Files.createDirectories(data.resolve("source"))),
                EmbeddedS3Server.startNio2("target-access", TestStores.TARGET_SECRET, Files.createDirectories(data.resolve("target"))))) {
            aPassSplitByDirectoryCopiesKeepsAndDeletesExactlyAsOneListingWould(stores, true);
        }
    }

    @Test
    void onAStoreInMemoryWhereAKeyCanBeNamedLikeADirectory() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            aPassSplitByDirectoryCopiesKeepsAndDeletesExactlyAsOneListingWould(stores, false);
        }
    }

    /** @param files keys are files: a key cannot also be a directory ("scan" beside "scan/00/1.pdf"), so none is */
    private static void aPassSplitByDirectoryCopiesKeepsAndDeletesExactlyAsOneListingWould(TestStores stores, boolean files) throws Exception {
        {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            Map<String, byte[]> source = new HashMap<>();
            for (int i = 0; i < 400; i++) {
                source.put(String.format("scan/%02d/%04d.pdf", i % 20, i), body(i));
                source.put(String.format("invoices/2024/%02d/%04d.pdf", i % 3, i), body(1000 + i));
            }
            String[] odd = {"readme.txt", "scan", "scan/05/😀.pdf", "scan/05/（1）.pdf", "scan/1", "😀top", "（top", "!first", "emoji😀/a",
                "（dir）/b", "scan/00", "scan/00/", "scan/", "invoices/", "invoices/2024/"};
            for (int i = 0; i < odd.length; i++) {
                source.put(odd[i], odd[i].endsWith("/") ? new byte[0] : body(10_000 + i));
            }
            if (files) {
                dropKeysNamedLikeADirectory(source.keySet(), source.keySet());
            }
            Map<String, byte[]> target = new HashMap<>();
            int n = 0;
            for (Map.Entry<String, byte[]> entry : source.entrySet()) {
                int kind = n++ % 4;
                if (kind == 1) {
                    target.put("backup/" + entry.getKey(), entry.getValue()); // identical
                } else if (kind == 2 && !entry.getKey().endsWith("/")) { // a folder object of this store keeps no bytes
                    target.put("backup/" + entry.getKey(), "changed".getBytes(StandardCharsets.UTF_8));
                }
            }
            List<String> extras = new ArrayList<>(List.of("backup/scan/05/😀😀.pdf", "backup/scan/13/9999.pdf", "backup/only-target/", "backup/only-target/x",
                    "backup/only-target/y/z", "backup/zzz", "backup/😀", "backup/scan/19", "backup/invoices/2023/x.pdf"));
            Map<String, byte[]> outside = new HashMap<>(Map.of("backup", "x".getBytes(), "backup-other/scan/1", "y".getBytes(), "a", "z".getBytes(),
                    "backuq", "w".getBytes()));
            if (files) {
                List<String> all = new ArrayList<>(target.keySet());
                all.addAll(extras);
                dropKeysNamedLikeADirectory(extras, all);
                extras.remove("backup/only-target/"); // this store cannot delete a directory that still holds files (HTTP 500)
                outside.keySet().removeIf(k -> k.equals("backup"));
            }
            extras.forEach(key -> target.put(key, "extra".getBytes(StandardCharsets.UTF_8)));
            target.putAll(outside);
            TestStores.putAll(stores.sourceClient, "src", source);
            TestStores.putAll(stores.targetClient, "dst", target);
            long identical = target.keySet().stream().filter(k -> k.startsWith("backup/") && source.containsKey(k.substring(7))
                    && new String(target.get(k), StandardCharsets.UTF_8).equals(new String(source.get(k.substring(7)), StandardCharsets.UTF_8)))
                    .count();

            TestStores.Run run = stores.run("copy", stores.arguments("src:dst/backup", "migration.remove=true", "migration.max-delete=-1"));
            assertEquals(0, run.exitCode(), run.all());
            JsonNode pass = StoredBytes.lastCopyReport(stores).get("mappings").get(0);
            // the top's own keys, scan/, invoices/, emoji😀/, （dir）/ and only-target/
            assertEquals(6, pass.get("listedRanges").asInt(), "split by directory: " + pass);
            StoredBytes.assertPrefixMirrorsSource(stores, pass, source.size(), identical, extras.size(), outside.keySet());

            // again: nothing left to do; and the same in one listing
            for (String split : List.of("directories", "none")) {
                run = stores.run("copy", stores.arguments("src:dst/backup", "migration.remove=true", "migration.listing.split=" + split));
                assertEquals(0, run.exitCode(), run.all());
                pass = StoredBytes.lastCopyReport(stores).get("mappings").get(0);
                int shards = pass.get("listedRanges").asInt();
                assertTrue(split.equals("none") ? shards == 1 : shards >= 5, split + ": " + shards);
                assertEquals(0, pass.get("copiedObjects").asInt(), split);
                assertEquals(0, pass.get("deletedObjects").asInt(), split);
                assertEquals(source.size(), pass.get("identicalObjects").asInt(), split);
            }
        }
    }

    private static void dropKeysNamedLikeADirectory(java.util.Collection<String> keys, java.util.Collection<String> others) {
        List<String> all = new ArrayList<>(others);
        keys.removeIf(k -> all.stream().anyMatch(o -> o.startsWith(k + "/")));
    }

    private static byte[] body(int i) {
        return ("body " + i).getBytes(StandardCharsets.UTF_8);
    }
}
