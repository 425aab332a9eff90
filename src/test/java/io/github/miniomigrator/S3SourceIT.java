package io.github.miniomigrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.config.TargetClientFactory;
import io.github.miniomigrator.demo.EmbeddedS3Server;
import io.github.miniomigrator.support.ConnectProxy;
import io.github.miniomigrator.support.TestStores;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.domain.Tier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * A source that is not MinIO: S3Proxy in virtual-host mode under the name oss.test (as {@link OssTargetIT}'s target),
 * read as OSS is — virtual-hosted, and through a custom domain that names one bucket. The name oss.test itself does not
 * resolve here (src/test/hosts), so a path-style request to the source cannot succeed. An object in an archive storage
 * class is reported as needing a restore and not copied; S3Proxy would serve its bytes, as OSS would not.
 */
@Tag("store")
@Tag("slow")
class S3SourceIT {
    static final String ARCHIVED = "cold/2019 扫描+1.tif";
    /** Keys a URL or a signature gets wrong when they are not encoded right. */
    static final List<String> AWKWARD = List.of("发票/2024/发票（一）.pdf", "scans/a b+c.tif", "100%.txt", "what?.txt", "a&b=c.txt",
            "deep/d/d/leaf.txt");

    @BeforeAll
    static void namesResolveFromTheTestHostsFile() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("jdk.net.hosts.file") != null,
                "run by the failsafe execution 'named-hosts', which resolves oss.test names from src/test/hosts");
    }

    /** An OSS-like source and a path-style target, over http or https alike. */
    static TestStores stores(boolean tls) throws Exception {
        return new TestStores(EmbeddedS3Server.start("source-access", TestStores.SOURCE_SECRET, null, tls, OssTargetIT.VIRTUAL_HOST),
                EmbeddedS3Server.start("target-access", TestStores.TARGET_SECRET, null, tls));
    }

    /** A client that writes the source as an OSS application would: virtual-hosted. */
    static S3Client application(EmbeddedS3Server source) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("migration.target.provider", "oss");
        values.put("migration.target.endpoint", source.endpoint());
        values.put("migration.target.access-key", source.accessKey());
        values.put("migration.target.secret-key", source.secretKey());
        if (source.caCertificate() != null) {
            values.put("migration.target.ca-cert", source.caCertificate().toString());
        }
        return TargetClientFactory.create(new Settings(values));
    }

    static List<String> args(TestStores stores, String buckets, String... more) {
        List<String> args = stores.arguments(buckets, "migration.source.provider=oss", "migration.source.region=cn-hangzhou",
                "migration.multipart.part-size=5MiB", "migration.multipart.threshold=6MiB");
        args.addAll(List.of(more));
        return args;
    }

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void readsAVirtualHostedSourceAndReportsTheArchivedObject(boolean tls) throws Exception {
        try (TestStores stores = stores(tls); S3Client oss = application(stores.source)) {
            stores.source.createBucket("oss-temp");
            stores.target.createBucket("copied");
            Random random = new Random(7);
            Map<String, byte[]> written = new TreeMap<>();
            for (String key : AWKWARD) {
                written.put(key, CopyIT.bytes(random, 100 + random.nextInt(4000)));
                TestStores.put(oss, "oss-temp", key, written.get(key));
            }
            written.put("invoice.pdf", CopyIT.bytes(random, 70_000));
            TestStores.put(oss, "oss-temp", "invoice.pdf", written.get("invoice.pdf"), "application/pdf",
                    Map.of("owner", "finance", "scan-id", "A-1"));
            written.put("backup/large.tar", CopyIT.bytes(random, 7 << 20)); // above the threshold: copied in parts
            TestStores.put(oss, "oss-temp", "backup/large.tar", written.get("backup/large.tar"));
            oss.putObject(b -> b.bucket("oss-temp").key(ARCHIVED).storageClass(StorageClass.GLACIER),
                    RequestBody.fromBytes(CopyIT.bytes(random, 3000)));

            List<String> args = args(stores, "oss-temp:copied");
            TestStores.Run copy = stores.run("copy", args);
            assertEquals(1, copy.exitCode(), copy.all());
            assertTrue(copy.out().contains("failed: " + ARCHIVED + ": '" + ARCHIVED + "' is in archive storage class DEEP_ARCHIVE: restore it first"),
                    "the archived object is named with what to do: " + copy.out());
            assertEquals(stored(written), TestStores.contents(stores.targetClient, "copied", ""), "every readable object, and not the archived one");
            HeadObjectResponse invoice = TestStores.head(stores.targetClient, "copied", "invoice.pdf");
            assertEquals("application/pdf", invoice.contentType());
            assertEquals("finance", invoice.metadata().get("owner"));
            assertEquals("A-1", invoice.metadata().get("scan-id"));

            TestStores.Run again = stores.run("copy", args);
            assertEquals(1, again.exitCode(), "a second pass reports it again, never skips it: " + again.all());
            assertEquals(0, CopyIT.lastReport(stores).get("mappings").get(0).get("copiedObjects").asInt(), "nothing else to copy");
            assertEquals(1, CopyIT.lastReport(stores).get("mappings").get(0).get("failedObjects").asInt());

            TestStores.Run verify = stores.run("verify", args);
            assertEquals(1, verify.exitCode(), "verify sees the archived object missing on the target: " + verify.all());
        }
    }

    @Test
    void readsABucketThroughItsCustomDomainOnly() throws Exception {
        try (TestStores stores = stores(false)) {
            // a custom domain names one bucket; S3Proxy names the bucket a host stands for after the host itself
            BlobStore source = stores.source.blobStore();
            stores.source.createBucket("files.example.test");
            stores.target.createBucket("copied");
            Random random = new Random(8);
            Map<String, byte[]> written = new TreeMap<>();
            for (String key : AWKWARD) {
                written.put(key, CopyIT.bytes(random, 100 + random.nextInt(4000)));
                source.putBlob("files.example.test", source.blobBuilder(key).payload(written.get(key)).contentType("image/tiff")
                        .userMetadata(Map.of("scanner", "s-7")).build());
            }
            source.putBlob("files.example.test", source.blobBuilder(ARCHIVED).payload(CopyIT.bytes(random, 2000)).tier(Tier.ARCHIVE).build());

            List<String> args = args(stores, "invoices:copied",
                    "migration.source.bucket-domains=invoices=http://files.example.test:" + stores.source.port());
            TestStores.Run copy = stores.run("copy", args);
            assertEquals(1, copy.exitCode(), copy.all());
            assertTrue(copy.out().contains("failed: " + ARCHIVED + ": '" + ARCHIVED + "' is in archive storage class"), copy.out());
            assertEquals(stored(written), TestStores.contents(stores.targetClient, "copied", ""));
            assertEquals("s-7", TestStores.head(stores.targetClient, "copied", AWKWARD.get(1)).metadata().get("scanner"));
            assertFalse(source.containerExists("invoices"), "the bucket was named by the domain alone, never in the host or the path");
        }
    }

    /** The key-space probes (one-key listings that start after a key) split a flat source into ranges, on the source's order. */
    @Test
    void aVirtualHostedSourceIsListedInRangesAsOneListingWould() throws Exception {
        try (TestStores stores = stores(false); S3Client oss = application(stores.source)) {
            stores.source.createBucket("oss-temp");
            stores.target.createBucket("copied");
            Map<String, byte[]> written = new TreeMap<>();
            for (int i = 0; i < 1300; i++) {
                written.put(String.format("scan-%04d.pdf", i), ("page " + i).getBytes(StandardCharsets.UTF_8));
            }
            // S3Proxy lists in UTF-16 order: the emoji before the fullwidth key, as S3 and OSS would not
            for (String odd : List.of("😀top", "（top", "!first", "scan-0500 b+c.pdf", "扫描/1.pdf")) {
                written.put(odd, odd.getBytes(StandardCharsets.UTF_8));
            }
            TestStores.putAll(oss, "oss-temp", written);
            TestStores.Run ranged = stores.run("copy", args(stores, "oss-temp:copied", "migration.listing.split=ranges",
                    "migration.listing.concurrency=4"));
            assertEquals(0, ranged.exitCode(), ranged.all());
            assertTrue(CopyIT.lastReport(stores).get("mappings").get(0).get("listedRanges").asInt() >= 4, ranged.out());
            assertEquals(stored(written), TestStores.contents(stores.targetClient, "copied", ""));

            TestStores.Run whole = stores.run("copy", args(stores, "oss-temp:copied", "migration.listing.split=none"));
            assertEquals(0, whole.exitCode(), whole.all());
            assertEquals(0, CopyIT.lastReport(stores).get("mappings").get(0).get("copiedObjects").asInt());
            assertEquals(written.size(), CopyIT.lastReport(stores).get("mappings").get(0).get("identicalObjects").asInt());
        }
    }

    @Test
    void runRefusesTheListenApiForASourceThatIsNotMinio() throws Exception {
        try (TestStores stores = stores(false)) {
            TestStores.Run run = stores.run("run", args(stores, "oss-temp:copied"));
            assertEquals(2, run.exitCode(), run.all());
            assertTrue(run.err().contains("migration.events.mode=listen needs a MinIO source"), run.all());
        }
    }

    /**
     * Either kind of source behind an HTTP proxy (migration.source.proxy): CONNECT tunnels to the source only, the target
     * reached directly; a wrong proxy password stops the run before anything is written, and no password shows.
     */
    @ParameterizedTest(name = "provider={0}")
    @ValueSource(strings = {"oss", "minio"})
    void theSourceIsReachedThroughItsProxy(String provider) throws Exception {
        boolean minio = provider.equals("minio");
        try (TestStores stores = minio ? new TestStores(true) : stores(true);
                ConnectProxy proxy = new ConnectProxy("reader", ProxyIT.PROXY_PASSWORD)) {
            String bucket = minio ? "src" : "oss-temp";
            stores.source.createBucket(bucket);
            stores.target.createBucket("copied");
            Map<String, byte[]> written = new TreeMap<>();
            for (int i = 0; i < 20; i++) {
                written.put("scans/page " + i + ".pdf", ("page " + i + " behind the source's proxy").getBytes(StandardCharsets.UTF_8));
            }
            try (S3Client writer = minio ? null : application(stores.source)) {
                TestStores.putAll(minio ? stores.sourceClient : writer, bucket, written);
            }
            List<String> args = stores.arguments(bucket + ":copied", "migration.source.provider=" + provider,
                    "migration.source.proxy=" + proxy.endpoint(), "migration.source.proxy-username=reader");

            TestStores.Run refused = stores.runWith("copy", args, Map.of("MIGRATION_SOURCE_PROXY_PASSWORD", ProxyIT.WRONG_PASSWORD));
            assertEquals(MigratorApplication.EXIT_CANNOT_START, refused.exitCode(), refused.all());
            assertTrue(refused.err().contains("source bucket '" + bucket + "' cannot be listed") && refused.err().contains("the proxy in "
                    + "migration.source.proxy refused to open a tunnel to the source: check migration.source.proxy-username"), refused.all());
            assertTrue(proxy.refused() > 0, "the proxy refused the wrong password");
            assertEquals(List.of(), TestStores.keys(stores.targetClient, "copied"), "nothing written");

            TestStores.Run copied = stores.runWith("copy", args, Map.of("MIGRATION_SOURCE_PROXY_PASSWORD", ProxyIT.PROXY_PASSWORD));
            assertEquals(0, copied.exitCode(), copied.all());
            assertEquals(stored(written), TestStores.contents(stores.targetClient, "copied", ""));
            assertFalse(proxy.tunnels().isEmpty(), "the source was reached through the proxy");
            String target = ProxyIT.hostPort(stores.target.endpoint());
            assertTrue(proxy.tunnels().stream().noneMatch(target::equals), "the target is reached directly: " + proxy.tunnels());
            for (TestStores.Run run : List.of(refused, copied)) {
                assertFalse(run.all().contains(ProxyIT.PROXY_PASSWORD) || run.all().contains(ProxyIT.WRONG_PASSWORD), run.all());
            }
        }
    }

    /** key -> size:md5, as {@link TestStores#contents} gives a bucket. */
    static Map<String, String> stored(Map<String, byte[]> written) throws Exception {
        Map<String, String> stored = new TreeMap<>();
        for (Map.Entry<String, byte[]> entry : written.entrySet()) {
            stored.put(entry.getKey(), entry.getValue().length + ":"
                    + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(entry.getValue())));
        }
        return stored;
    }
}
