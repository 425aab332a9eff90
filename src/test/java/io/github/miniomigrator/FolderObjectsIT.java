package io.github.miniomigrator;

import static io.github.miniomigrator.support.TestStores.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.demo.EmbeddedS3Server;
import io.github.miniomigrator.support.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Folder objects (zero-byte keys ending in '/', as consoles create them) on stores that list them without Size and
 * ETag (S3Proxy's filesystem-nio2 store, as some S3-compatible stores do): objects like any other, on both sides.
 */
@Tag("store")
class FolderObjectsIT {
    @Test
    void folderObjectsAreCopiedComparedAndDeletedLikeAnyObject() throws Exception {
        Path data = Files.createTempDirectory("folder-objects");
        try (TestStores stores = new TestStores(
                EmbeddedS3Server.startNio2("source-access", TestStores.SOURCE_SECRET, Files.createDirectories(data.resolve("source"))),
                EmbeddedS3Server.startNio2("target-access", TestStores.TARGET_SECRET, Files.createDirectories(data.resolve("target"))))) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            put(stores.sourceClient, "src", "scans/", new byte[0]);
            put(stores.sourceClient, "src", "scans/2024/", new byte[0]);
            put(stores.sourceClient, "src", "scans/2024/a.tif", "a".repeat(300).getBytes());
            put(stores.sourceClient, "src", "readme.txt", "hello".getBytes());
            put(stores.targetClient, "dst", "old-folder/", new byte[0]);
            put(stores.targetClient, "dst", "scans/", new byte[0]);

            List<String> args = stores.arguments("src:dst", "migration.remove=true");
            TestStores.Run copy = stores.run("copy", args);
            assertEquals(0, copy.exitCode(), copy.all());
            assertFalse(copy.all().contains("NullPointerException"), copy.all());
            assertEquals(new TreeSet<>(TestStores.keys(stores.sourceClient, "src")), new TreeSet<>(TestStores.keys(stores.targetClient, "dst")),
                    "the source's folder objects are on the target, the target's own one is gone");
            TestStores.Run verify = stores.run("verify", args);
            assertEquals(0, verify.exitCode(), verify.all());
            TestStores.Run again = stores.run("copy", args);
            assertEquals(0, again.exitCode(), again.all());
            assertEquals(0, CopyIT.lastReport(stores).get("mappings").get(0).get("copiedObjects").asInt(), again.out());
            assertTrue(TestStores.keys(stores.targetClient, "dst").contains("scans/2024/"));
        }
    }
}
