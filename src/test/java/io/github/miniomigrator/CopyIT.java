package io.github.miniomigrator;

import static io.github.miniomigrator.support.TestStores.contents;
import static io.github.miniomigrator.support.TestStores.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.miniomigrator.support.StoredBytes;
import io.github.miniomigrator.support.TestStores;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** The full copy against two real S3 servers, over http and over https. */
@Tag("store")
class CopyIT {
    static final String SOURCE = "archive-temp";
    static final String TARGET = "oss-temp";

    static final List<String> KEYS = List.of(
            "发票/2024/发票（一）.pdf", "contracts/合同 2023 最终版.docx", "a b.txt", "a+b.txt", "100%.txt", "what?.txt",
            "hash#tag.txt", "a&b=c.txt", "folder-marker/", "emoji/📄.txt", "fullwidth/！.txt",
            "deep/" + "d/".repeat(40) + "leaf.txt",
            "long/" + "k".repeat(995));

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void copiesEveryKindOfKeyThenFindsNothingToDo(boolean tls) throws Exception {
        try (TestStores stores = new TestStores(tls)) {
            stores.source.createBucket(SOURCE);
            stores.target.createBucket(TARGET);
            Random random = new Random(1);
            for (String key : KEYS) {
                assertEquals(key.startsWith("long/") ? 1000 : key.length(), key.startsWith("long/") ? key.getBytes(StandardCharsets.UTF_8).length : key.length());
                put(stores.sourceClient, SOURCE, key, bytes(random, 100 + random.nextInt(5000)));
            }
            put(stores.sourceClient, SOURCE, "empty", new byte[0]);
            put(stores.sourceClient, SOURCE, "invoice.pdf", bytes(random, 70_000), "application/pdf", Map.of("owner", "finance", "scan_id", "A-1"));
            stores.sourceClient.putObject(b -> b.bucket(SOURCE).key("styled.html").contentType("text/html").contentDisposition("attachment")
                    .contentLanguage("zh-CN").cacheControl("max-age=3600").contentEncoding("identity")
                    .expires(Instant.parse("2030-01-01T00:00:00Z")), RequestBody.fromBytes(bytes(random, 2048)));
            put(stores.sourceClient, SOURCE, "big/30mib.bin", bytes(random, 30 << 20));
            uploadInParts(stores.sourceClient, SOURCE, "big/multipart-source.bin", bytes(random, 20 << 20), 10 << 20);

            // over https the 30 MiB object goes up in parts (threshold 16MiB); over http it streams in one PUT
            List<String> args = stores.arguments(SOURCE + ":" + TARGET, "migration.target.provider=oss", "migration.target.path-style=true",
                    "migration.multipart.threshold=" + (tls ? "16MiB" : "128MiB"));
            TestStores.Run first = stores.run("copy", args);
            assertEquals(0, first.exitCode(), first.all());
            Map<String, String> sourceContents = contents(stores.sourceClient, SOURCE, "");
            assertEquals(KEYS.size() + 5, sourceContents.size());
            assertEquals(sourceContents, contents(stores.targetClient, TARGET, ""));
            JsonNode pass1 = lastReport(stores).get("mappings").get(0);
            assertEquals(KEYS.size() + 5, pass1.get("copiedObjects").asInt());

            HeadObjectResponse invoice = TestStores.head(stores.targetClient, TARGET, "invoice.pdf");
            assertEquals("application/pdf", invoice.contentType());
            assertEquals("finance", invoice.metadata().get("owner"));
            assertEquals("A-1", invoice.metadata().get("scan-id"), "OSS metadata keys are normalised, not dropped");
            assertEquals(base64Md5(stores.sourceClient, "invoice.pdf"), invoice.metadata().get("md5chksum"));
            assertTrue(pass1.get("renamedMetadataKeys").asInt() >= 1);
            HeadObjectResponse styled = TestStores.head(stores.targetClient, TARGET, "styled.html");
            assertEquals("text/html", styled.contentType());
            assertEquals("attachment", styled.contentDisposition());
            assertEquals("zh-CN", styled.contentLanguage());
            assertEquals("max-age=3600", styled.cacheControl());
            assertEquals(Instant.parse("2030-01-01T00:00:00Z"), styled.expires());
            HeadObjectResponse big = TestStores.head(stores.targetClient, TARGET, "big/30mib.bin");
            assertEquals(tls, big.eTag().contains("-"), "30 MiB went up in parts only above the threshold: " + big.eTag());
            assertEquals(base64Md5(stores.sourceClient, "big/30mib.bin"), big.metadata().get("md5chksum"));
            HeadObjectResponse multipartSource = TestStores.head(stores.targetClient, TARGET, "big/multipart-source.bin");
            assertNull(multipartSource.metadata().get("md5chksum"), "no MD5 is claimed when the source ETag is not one");
            assertNotNull(multipartSource.metadata().get("source-etag"));

            TestStores.Run second = stores.run("copy", args);
            assertEquals(0, second.exitCode(), second.all());
            JsonNode pass2 = lastReport(stores).get("mappings").get(0);
            assertEquals(0, pass2.get("copiedObjects").asInt(), second.out());
            assertEquals(KEYS.size() + 5, pass2.get("identicalObjects").asInt());

            // same size, other bytes: the ETag differs, so the change is found without reading any body
            put(stores.sourceClient, SOURCE, "a b.txt", bytes(new Random(99), stores.sourceClient.headObject(b -> b.bucket(SOURCE).key("a b.txt")).contentLength().intValue()));
            uploadInParts(stores.sourceClient, SOURCE, "big/multipart-source.bin", bytes(new Random(98), 20 << 20), 10 << 20);
            TestStores.Run third = stores.run("copy", args);
            assertEquals(0, third.exitCode(), third.all());
            assertEquals(2, lastReport(stores).get("mappings").get(0).get("copiedObjects").asInt(), third.out());
            assertEquals(contents(stores.sourceClient, SOURCE, ""), contents(stores.targetClient, TARGET, ""));
            assertFalse(first.all().contains(TestStores.SOURCE_SECRET) || first.all().contains(TestStores.TARGET_SECRET));
        }
    }

    static JsonNode lastReport(TestStores stores) throws Exception {
        return StoredBytes.lastCopyReport(stores);
    }

    static void uploadInParts(S3Client s3, String bucket, String key, byte[] body, int partSize) {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        for (int offset = 0, number = 1; offset < body.length; offset += partSize, number++) {
            int length = Math.min(partSize, body.length - offset);
            int n = number;
            byte[] part = java.util.Arrays.copyOfRange(body, offset, offset + length);
            String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(n), RequestBody.fromBytes(part)).eTag();
            parts.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
        }
        s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
    }

    static byte[] bytes(Random random, int size) {
        byte[] b = new byte[size];
        random.nextBytes(b);
        return b;
    }

    static String base64Md5(S3Client s3, String key) throws Exception {
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        md5.update(s3.getObjectAsBytes(b -> b.bucket(SOURCE).key(key)).asByteArray());
        return Base64.getEncoder().encodeToString(md5.digest());
    }

    static Map<String, String> map(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
