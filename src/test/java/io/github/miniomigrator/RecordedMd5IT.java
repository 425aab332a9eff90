package io.github.miniomigrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.support.Rgw;
import io.github.miniomigrator.support.TestStores;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 20, item 2: a source object uploaded in parts (its ETag no MD5) that records its whole MD5 as rclone does
 * (x-amz-meta-md5chksum, base64): the copy checks the bytes against it, the target records it, a mismatch fails the object.
 */
@Tag("process")
class RecordedMd5IT {
    @Test
    void s3proxySourceToS3proxyTarget() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.sourceClient.createBucket(b -> b.bucket("rclone-src"));
            stores.targetClient.createBucket(b -> b.bucket("rclone-dst"));
            check(stores, stores.sourceClient, "rclone-src", stores.targetClient, "rclone-dst", stores.arguments("rclone-src:rclone-dst"));
        }
    }

    @Test
    void s3proxySourceToRgwTarget() throws Exception {
        Rgw rgw = Rgw.shared();
        try (TestStores stores = new TestStores(false)) {
            stores.sourceClient.createBucket(b -> b.bucket("rclone-src"));
            String to = rgw.bucket("rclone-dst");
            List<String> args = new ArrayList<>(stores.arguments("rclone-src:" + to));
            args.addAll(rgw.asTarget());
            check(stores, stores.sourceClient, "rclone-src", rgw.client(), to, args);
        }
    }

    private static void check(TestStores stores, software.amazon.awssdk.services.s3.S3Client source, String from,
            software.amazon.awssdk.services.s3.S3Client target, String to, List<String> base) throws Exception {
        byte[] big = RgwIT.bytes(11 << 20, 4);
        byte[] small = RgwIT.bytes((5 << 20) + 10, 5); // two parts, yet within one part of the copy: hashed whole
        byte[] other = RgwIT.bytes(11 << 20, 6);
        RgwIT.putInParts(source, from, "rclone/big.bin", big, Map.of("md5chksum", RgwIT.md5Base64(big)));
        RgwIT.putInParts(source, from, "rclone/small.bin", small, Map.of("md5chksum", RgwIT.md5Base64(small)));
        RgwIT.putInParts(source, from, "rclone/big-corrupt.bin", other, Map.of("md5chksum", RgwIT.md5Base64(big)));
        RgwIT.putInParts(source, from, "rclone/small-corrupt.bin", small, Map.of("md5chksum", RgwIT.md5Base64(big)));
        List<String> args = new ArrayList<>(base);
        args.addAll(List.of("migration.multipart.threshold=8MiB", "migration.multipart.part-size=8MiB"));

        TestStores.Run copy = stores.run("copy", args);
        assertEquals(1, copy.exitCode(), copy.all());
        for (String corrupt : List.of("rclone/big-corrupt.bin", "rclone/small-corrupt.bin")) {
            assertTrue(copy.all().contains(corrupt), "the object is named: " + copy.all());
            assertFalse(TestStores.keys(target, to).contains(corrupt), "nothing of it is stored: " + corrupt);
        }
        assertTrue(copy.all().contains("do not match the MD5 recorded on the source object"), "and the reason: " + copy.all());
        assertEquals(RgwIT.md5Base64(big), TestStores.head(target, to, "rclone/big.bin").metadata().get("md5chksum"));
        assertEquals(RgwIT.md5Base64(small), TestStores.head(target, to, "rclone/small.bin").metadata().get("md5chksum"));
        assertTrue(target.listMultipartUploads(b -> b.bucket(to)).uploads().isEmpty(), "the failed upload was aborted");

        source.deleteObject(b -> b.bucket(from).key("rclone/big-corrupt.bin"));
        source.deleteObject(b -> b.bucket(from).key("rclone/small-corrupt.bin"));
        TestStores.Run again = stores.run("copy", args);
        assertEquals(0, again.exitCode(), again.all());
        assertEquals(0, CopyIT.lastReport(stores).get("mappings").get(0).get("copiedObjects").asInt(), again.out());
        TestStores.Run verify = stores.run("verify", new ArrayList<>(List.of(args.toArray(String[]::new))) {
            {
                add("migration.verify.sample=all");
            }
        });
        assertEquals(0, verify.exitCode(), verify.all());
    }
}
