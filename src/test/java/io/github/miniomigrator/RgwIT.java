package io.github.miniomigrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.support.RawS3;
import io.github.miniomigrator.support.Rgw;
import io.github.miniomigrator.support.TestStores;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The tool against a real Ceph RGW (issue 20): the shared cluster of {@link Rgw}, buckets per test. */
@Tag("process")
class RgwIT {
    private static TestStores stores;

    @BeforeAll
    static void start() throws Exception {
        stores = new TestStores(false);
    }

    @AfterAll
    static void stop() throws Exception {
        stores.close();
    }

    @Test
    void theSharedClusterStoresAndServesAnObject() throws Exception {
        Rgw rgw = Rgw.shared();
        String bucket = rgw.bucket("fixture");
        TestStores.put(rgw.client(), bucket, "a b/中文.txt", "hello".getBytes(StandardCharsets.UTF_8));
        assertEquals("5:\"5d41402abc4b2a76b9719d911017c592\"", TestStores.listed(rgw.client(), bucket, "").get("a b/中文.txt"));
        assertEquals(Rgw.shared(), rgw, "one cluster per JVM");
    }

    /** Issue 20, item 1: RGW stores raw UTF-8 metadata values; copied RGW -> RGW they arrive RFC 2047-encoded, and stay identical. */
    @Test
    void nonAsciiMetadataIsCarriedRfc2047EncodedAndLaterPassesLeaveItAlone() throws Exception {
        Rgw rgw = Rgw.shared();
        String from = rgw.bucket("utf8-src");
        String to = rgw.bucket("utf8-dst");
        RawS3 raw = new RawS3(rgw.endpoint(), rgw.accessKey(), rgw.secretKey());
        raw.put(from, "scan/张三.pdf", "invoice".getBytes(StandardCharsets.UTF_8), Map.of("name", "张三", "dept", "财务部 2026", "plain", "ascii"));
        raw.put(from, "scan/big.bin", bytes(6 << 20, 1), Map.of("name", "李四"));
        TestStores.put(rgw.client(), from, "scan/ascii.txt", "x".getBytes(StandardCharsets.UTF_8));
        assertEquals("张三", raw.metadata(from, "scan/张三.pdf").get("name"), "RGW keeps the raw UTF-8 value");

        for (String sourceProvider : List.of("generic", "minio")) { // the AWS SDK's reads, then the MinIO client's
            List<String> args = rgwToRgw(from, to, "migration.source.provider=" + sourceProvider);
            TestStores.Run copy = stores.run("copy", args);
            assertEquals(0, copy.exitCode(), sourceProvider + ": " + copy.all());
            Map<String, String> stored = raw.metadata(to, "scan/张三.pdf");
            assertEquals("=?UTF-8?B?5byg5LiJ?=", stored.get("name"), sourceProvider + ": " + stored);
            assertEquals("=?UTF-8?B?" + Base64.getEncoder().encodeToString("财务部 2026".getBytes(StandardCharsets.UTF_8)) + "?=", stored.get("dept"));
            assertEquals("ascii", stored.get("plain"));
            assertEquals("=?UTF-8?B?5p2O5Zub?=", raw.metadata(to, "scan/big.bin").get("name"), "the multipart upload carries it too");
            assertTrue(copy.all().contains("RFC 2047"), "the pass says how such values were carried: " + copy.all());

            TestStores.Run again = stores.run("copy", args);
            assertEquals(0, again.exitCode(), again.all());
            assertEquals(0, CopyIT.lastReport(stores).get("mappings").get(0).get("copiedObjects").asInt(), "the no-op pass: " + again.out());
            assertEquals(TestStores.contents(rgw.client(), from, ""), TestStores.contents(rgw.client(), to, ""));
            TestStores.Run verify = stores.run("verify", args);
            assertEquals(0, verify.exitCode(), verify.all());
            TestStores.Run all = stores.run("verify", TestStores.with(args, "migration.verify.sample=all"));
            assertEquals(0, all.exitCode(), all.all());
            TestStores.keys(rgw.client(), to).forEach(k -> rgw.client().deleteObject(b -> b.bucket(to).key(k)));
        }
    }

    /** RGW -> S3Proxy playing OSS, then OBS: the value arrives in the ASCII form each provider documents (S3Proxy stores ASCII values). */
    @Test
    void nonAsciiMetadataReachesOssRfc2047EncodedAndObsPercentEncoded() throws Exception {
        Rgw rgw = Rgw.shared();
        String from = rgw.bucket("utf8-oss");
        RawS3 raw = new RawS3(rgw.endpoint(), rgw.accessKey(), rgw.secretKey());
        raw.put(from, "发票/张三.pdf", "invoice".getBytes(StandardCharsets.UTF_8), Map.of("name", "张三"));
        assertFalse("张三".equals(TestStores.head(rgw.client(), from, "发票/张三.pdf").metadata().get("name")),
                "the AWS SDK hands the raw bytes over one character per byte (why S3SourceStore decodes them)");
        for (String provider : List.of("oss", "obs")) {
            String to = provider + "-target";
            stores.targetClient.createBucket(b -> b.bucket(to));
            List<String> args = new ArrayList<>(stores.arguments(from + ":" + to, "migration.target.provider=" + provider,
                    "migration.target.path-style=true"));
            args.addAll(rgw.asSource());
            TestStores.Run copy = stores.run("copy", args);
            assertEquals(0, copy.exitCode(), provider + ": " + copy.all());
            assertEquals(provider.equals("oss") ? "=?UTF-8?B?5byg5LiJ?=" : "%E5%BC%A0%E4%B8%89",
                    TestStores.head(stores.targetClient, to, "发票/张三.pdf").metadata().get("name"), provider);
            TestStores.Run again = stores.run("copy", args);
            assertEquals(0, again.exitCode(), again.all());
            assertEquals(0, CopyIT.lastReport(stores).get("mappings").get(0).get("copiedObjects").asInt(), "the no-op pass: " + again.out());
            TestStores.Run verify = stores.run("verify", TestStores.with(args, "migration.verify.sample=all"));
            assertEquals(0, verify.exitCode(), verify.all());
        }
    }

    /** Issue 20, item 2: rclone's md5chksum on a multipart object checks the bytes and is carried; a wrong one fails the object, named. */
    @Test
    void rclonesMd5chksumOnAMultipartObjectIsCheckedAndCarried() throws Exception {
        Rgw rgw = Rgw.shared();
        String from = rgw.bucket("md5-src");
        String to = rgw.bucket("md5-dst");
        byte[] good = bytes(11 << 20, 2);
        byte[] bad = bytes(11 << 20, 3);
        putInParts(rgw.client(), from, "rclone/good.bin", good, Map.of("md5chksum", md5Base64(good), "mtime", "1700000000.5"));
        putInParts(rgw.client(), from, "rclone/corrupt.bin", bad, Map.of("md5chksum", md5Base64(good)));
        List<String> args = rgwToRgw(from, to);
        TestStores.Run copy = stores.run("copy", args);
        assertEquals(1, copy.exitCode(), copy.all());
        assertTrue(copy.all().contains("rclone/corrupt.bin") && copy.all().contains("do not match the MD5 recorded on the source object"), copy.all());
        assertEquals(md5Base64(good), TestStores.head(rgw.client(), to, "rclone/good.bin").metadata().get("md5chksum"),
                "the target records the source's MD5, as for objects whose ETag is one");
        assertTrue(TestStores.head(rgw.client(), to, "rclone/good.bin").eTag().contains("-"), "it went up in parts");
        assertFalse(TestStores.keys(rgw.client(), to).contains("rclone/corrupt.bin"), "nothing of the corrupt object is stored");
        assertTrue(rgw.client().listMultipartUploads(b -> b.bucket(to)).uploads().isEmpty(), "its upload was aborted");

        rgw.client().deleteObject(b -> b.bucket(from).key("rclone/corrupt.bin"));
        TestStores.Run again = stores.run("copy", args);
        assertEquals(0, again.exitCode(), again.all());
        TestStores.Run verify = stores.run("verify", TestStores.with(args, "migration.verify.sample=all"));
        assertEquals(0, verify.exitCode(), verify.all());
    }

    private List<String> rgwToRgw(String from, String to, String... more) {
        List<String> args = new ArrayList<>(stores.arguments(from + ":" + to, "migration.multipart.threshold=5MiB", "migration.multipart.part-size=5MiB"));
        args.addAll(Rgw.shared().asSource());
        args.addAll(Rgw.shared().asTarget());
        args.addAll(List.of(more));
        if (args.contains("migration.source.provider=minio")) {
            args.remove("migration.source.path-style=true"); // camel-minio finds its own addressing
        }
        return args;
    }


    static byte[] bytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static String md5Base64(byte[] bytes) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(bytes));
    }

    /** As rclone uploads a large object: in 5 MiB parts, the whole object's MD5 in x-amz-meta-md5chksum. */
    static void putInParts(software.amazon.awssdk.services.s3.S3Client s3, String bucket, String key, byte[] body, Map<String, String> metadata) {
        String upload = s3.createMultipartUpload(b -> b.bucket(bucket).key(key).metadata(metadata)).uploadId();
        List<software.amazon.awssdk.services.s3.model.CompletedPart> parts = new ArrayList<>();
        int partSize = 5 << 20;
        for (int offset = 0, n = 1; offset < body.length; offset += partSize, n++) {
            int number = n;
            byte[] part = java.util.Arrays.copyOfRange(body, offset, Math.min(body.length, offset + partSize));
            String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(upload).partNumber(number),
                    software.amazon.awssdk.core.sync.RequestBody.fromBytes(part)).eTag();
            parts.add(software.amazon.awssdk.services.s3.model.CompletedPart.builder().partNumber(number).eTag(etag).build());
        }
        s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(upload).multipartUpload(m -> m.parts(parts)));
    }
}
