package io.github.miniomigrator;

import static io.github.miniomigrator.support.TestStores.contents;
import static io.github.miniomigrator.support.TestStores.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.miniomigrator.support.FaultyProxy;
import io.github.miniomigrator.support.TestStores;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Bytes flipped in transit, in both directions: the target refuses every corrupted PUT and part (Content-MD5), a
 * corrupted read of the source never becomes a target object, and what cannot be read right is named. Judged by the
 * stored bytes, not by the tool's report.
 */
@Tag("store")
class CorruptionIT {
    static final int SMALL = 8;

    static TestStores withObjects() throws Exception {
        TestStores stores = new TestStores(false);
        stores.source.createBucket("src");
        stores.target.createBucket("dst");
        Random random = new Random(11);
        for (int i = 0; i < SMALL; i++) {
            put(stores.sourceClient, "src", "doc/" + i + ".pdf", CopyIT.bytes(random, 2000 + i));
        }
        put(stores.sourceClient, "src", "big.bin", CopyIT.bytes(random, 12 << 20));
        return stores;
    }

    static java.util.List<String> args(TestStores stores, String... more) {
        java.util.List<String> args = stores.arguments("src:dst", "migration.multipart.threshold=6MiB", "migration.multipart.part-size=5MiB");
        args.addAll(java.util.List.of(more));
        return args;
    }

    /** Flips one bit of an object GET's body, keeping its length: a bad NIC, a broken proxy. */
    static String flipBody(String answer) {
        int body = answer.indexOf("\r\n\r\n") + 4 + 10;
        char flipped = (char) (answer.charAt(body) ^ 0x01);
        return answer.substring(0, body) + flipped + answer.substring(body + 1);
    }

    static boolean objectGet(FaultyProxy.Request r) {
        return r.method().equals("GET") && !r.path().contains("?") && r.path().split("/").length > 2;
    }

    @Test
    void corruptedReadsOfTheSourceAreReadAgainNeverStored() throws Exception {
        Set<String> flippedOnce = ConcurrentHashMap.newKeySet();
        try (TestStores stores = withObjects();
                FaultyProxy source = FaultyProxy.seeing(RemoveIT.portOf(stores.source.endpoint()), r -> FaultyProxy.Fault.PASS)) {
            put(stores.sourceClient, "src", "bad.bin", "always damaged on the way, whatever the tool does".repeat(50).getBytes());
            source.rewriteResponses((request, answer) -> objectGet(request) && answer.startsWith("HTTP/1.1 200")
                    && (request.path().endsWith("/bad.bin") || flippedOnce.add(request.path())) ? flipBody(answer) : answer);
            TestStores.Run copy = stores.run("copy", args(stores, "migration.source.endpoint=" + source.endpoint()));
            assertEquals(1, copy.exitCode(), copy.all());
            Map<String, String> target = contents(stores.targetClient, "dst", "");
            Map<String, String> expected = contents(stores.sourceClient, "src", "");
            expected.remove("bad.bin");
            assertEquals(expected, target, "every object but the always damaged one, each byte for byte");
            JsonNode pass = CopyIT.lastReport(stores).get("mappings").get(0);
            assertEquals(1, pass.get("failedObjects").asInt(), copy.out());
            assertTrue(pass.get("failures").get(0).asText().startsWith("bad.bin: the target's MD5 check refused the bytes read from the source"),
                    copy.out());
            assertTrue(pass.get("retries").asInt() >= SMALL + 1, "each damaged read was read again: " + copy.out());
            assertTrue(flippedOnce.contains("/src/big.bin"), "the multipart object's read was damaged too, and its whole-object MD5 check caught it");
        }
    }

    @Test
    void corruptedWritesAreRefusedByTheTargetAndSentAgain() throws Exception {
        Set<String> flippedOnce = ConcurrentHashMap.newKeySet();
        try (TestStores stores = withObjects();
                FaultyProxy target = FaultyProxy.seeing(RemoveIT.portOf(stores.target.endpoint()), r -> FaultyProxy.Fault.PASS)) {
            // every PUT's and every part's first try arrives with a bit flipped
            target.flipRequestBodies(r -> r.method().equals("PUT") && flippedOnce.add(r.path()));
            TestStores.Run copy = stores.run("copy", args(stores, "migration.target.endpoint=" + target.endpoint()));
            assertEquals(0, copy.exitCode(), copy.all());
            assertEquals(contents(stores.sourceClient, "src", ""), contents(stores.targetClient, "dst", ""));
            assertTrue(flippedOnce.size() >= SMALL + 3, "objects and parts were damaged on the way: " + flippedOnce);
            assertTrue(CopyIT.lastReport(stores).get("mappings").get(0).get("retries").asInt() >= SMALL, copy.out());
        }
    }

    /** An encrypted source object's ETag is no MD5: its GET says it is encrypted, so the tool hashes the bytes itself, first time. */
    @Test
    void anEncryptedSourceObjectIsCopiedWithTheMd5OfItsBytes() throws Exception {
        String fakeEtag = "0123456789abcdef0123456789abcdef";
        try (TestStores stores = withObjects();
                FaultyProxy source = FaultyProxy.seeing(RemoveIT.portOf(stores.source.endpoint()), r -> FaultyProxy.Fault.PASS)) {
            byte[] secret = "a document MinIO stores encrypted (SSE-S3)".repeat(40).getBytes();
            put(stores.sourceClient, "src", "secret.pdf", secret);
            source.rewriteResponses((request, answer) -> objectGet(request) && request.path().endsWith("/secret.pdf")
                    ? answer.replaceFirst("(?i)\r\nETag: \"[0-9a-f]{32}\"", "\r\nETag: \"" + fakeEtag + "\"\r\nx-amz-server-side-encryption: AES256")
                    : answer);
            TestStores.Run copy = stores.run("copy", args(stores, "migration.source.endpoint=" + source.endpoint()));
            assertEquals(0, copy.exitCode(), copy.all());
            assertEquals(contents(stores.sourceClient, "src", ""), contents(stores.targetClient, "dst", ""));
            Map<String, String> metadata = TestStores.head(stores.targetClient, "dst", "secret.pdf").metadata();
            assertEquals(fakeEtag, metadata.get("source-etag"));
            assertEquals(Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(secret)), metadata.get("md5chksum"),
                    "the MD5 of the bytes, not the ETag");
            assertEquals("AES256", metadata.get("source-encryption"), "recorded, so later passes know its ETag is no MD5");
            assertEquals(0, CopyIT.lastReport(stores).get("mappings").get(0).get("retries").asInt(), "no PUT refused for a wrong Content-MD5");
            assertFalse(copy.out().contains("failed:"), copy.out());
        }
    }
}
