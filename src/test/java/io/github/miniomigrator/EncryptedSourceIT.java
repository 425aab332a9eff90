package io.github.miniomigrator;

import static io.github.miniomigrator.support.TestStores.contents;
import static io.github.miniomigrator.support.TestStores.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.support.FaultyProxy;
import io.github.miniomigrator.support.TestStores;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Source objects MinIO stores encrypted (SSE-KMS, SSE-C): their ETags are 32 hex digits, like an MD5, and are not the
 * MD5 of the bytes — in the listing, the HEAD and the GET alike; only the HEAD and GET say "encrypted". A proxy in
 * front of S3Proxy makes its answers so. Copied once, such an object is identical on every later pass and in verify
 * (the cutover's final verify must be able to pass), while a change on either side is still found.
 */
@Tag("store")
class EncryptedSourceIT {
    /** ETags of the objects the proxy shows encrypted, as S3Proxy has them (the MD5 of the bytes). */
    final Set<String> encrypted = ConcurrentHashMap.newKeySet();

    /** What MinIO shows for an encrypted object: 32 hex digits, changing with the object, not its MD5. */
    static String minioEtag(String md5) {
        return new StringBuilder(md5).reverse().toString();
    }

    /** Every ETag of an encrypted object rewritten (listing XML and headers, same length); its HEAD and GET say encrypted. */
    String asMinio(FaultyProxy.Request request, String answer) {
        String rewritten = answer;
        for (String md5 : encrypted) {
            String fake = minioEtag(md5);
            rewritten = rewritten.replace(md5, fake);
            if (!request.path().contains("?")) {
                rewritten = rewritten.replaceFirst("(?i)\r\nETag: \"" + fake + "\"", "\r\nETag: \"" + fake + "\"\r\nx-amz-server-side-encryption: aws:kms");
            }
        }
        return rewritten;
    }

    void putEncrypted(TestStores stores, String key, byte[] body) throws Exception {
        encrypted.add(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body)));
        put(stores.sourceClient, "src", key, body);
    }

    static int copied(TestStores stores) throws Exception {
        return CopyIT.lastReport(stores).get("mappings").get(0).get("copiedObjects").asInt();
    }

    @Test
    void anEncryptedObjectCopiedOnceIsIdenticalOnTheNextPassAndInVerifyAndAChangeIsStillFound() throws Exception {
        Random random = new Random(19);
        try (TestStores stores = new TestStores(false);
                FaultyProxy source = FaultyProxy.seeing(RemoveIT.portOf(stores.source.endpoint()), r -> FaultyProxy.Fault.PASS)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            source.rewriteResponses(this::asMinio);
            put(stores.sourceClient, "src", "plain.pdf", CopyIT.bytes(random, 3000));
            putEncrypted(stores, "kms/a.pdf", CopyIT.bytes(random, 4000));
            putEncrypted(stores, "kms/b.pdf", CopyIT.bytes(random, 5000));
            putEncrypted(stores, "kms/scan.tif", CopyIT.bytes(random, 7 << 20)); // above the threshold: up in parts
            List<String> args = stores.arguments("src:dst", "migration.source.endpoint=" + source.endpoint(),
                    "migration.multipart.threshold=6MiB", "migration.multipart.part-size=5MiB");

            TestStores.Run first = stores.run("copy", args);
            assertEquals(0, first.exitCode(), first.all());
            assertEquals(4, copied(stores), first.out());
            assertEquals(contents(stores.sourceClient, "src", ""), contents(stores.targetClient, "dst", ""));
            Map<String, String> recorded = TestStores.head(stores.targetClient, "dst", "kms/a.pdf").metadata();
            assertEquals(minioEtag(TestStores.md5(stores.sourceClient, "src", "kms/a.pdf")), recorded.get("source-etag"),
                    "the tool saw MinIO's ETag, no MD5");
            assertEquals("aws:kms", recorded.get("source-encryption"), recorded.toString());

            TestStores.Run second = stores.run("copy", args);
            assertEquals(0, second.exitCode(), second.all());
            assertEquals(0, copied(stores), "nothing changed, nothing copied: " + second.out());
            TestStores.Run verify = stores.run("verify", args);
            assertEquals(0, verify.exitCode(), verify.all());

            // the source object written again, same size: MinIO gives it another ETag
            putEncrypted(stores, "kms/a.pdf", CopyIT.bytes(random, 4000));
            TestStores.Run changed = stores.run("verify", args);
            assertEquals(1, changed.exitCode(), changed.all());
            assertTrue(changed.out().contains("* kms/a.pdf"), changed.out());
            TestStores.Run third = stores.run("copy", args);
            assertEquals(0, third.exitCode(), third.all());
            assertEquals(1, copied(stores), third.out());
            assertEquals(contents(stores.sourceClient, "src", ""), contents(stores.targetClient, "dst", ""));

            // the target object overwritten with other bytes of the same size, the tool's metadata carried over
            Map<String, String> metadata = TestStores.head(stores.targetClient, "dst", "kms/b.pdf").metadata();
            put(stores.targetClient, "dst", "kms/b.pdf", CopyIT.bytes(random, 5000), "application/pdf", metadata);
            TestStores.Run overwritten = stores.run("verify", args);
            assertEquals(1, overwritten.exitCode(), overwritten.all());
            assertTrue(overwritten.out().contains("* kms/b.pdf"), overwritten.out());
            TestStores.Run repair = stores.run("copy", args);
            assertEquals(0, repair.exitCode(), repair.all());
            assertEquals(1, copied(stores), repair.out());
            assertEquals(0, stores.run("verify", args).exitCode());
            assertEquals(contents(stores.sourceClient, "src", ""), contents(stores.targetClient, "dst", ""));
        }
    }
}
