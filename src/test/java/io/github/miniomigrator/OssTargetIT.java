package io.github.miniomigrator;

import static io.github.miniomigrator.support.TestStores.contents;
import static io.github.miniomigrator.support.TestStores.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.demo.EmbeddedS3Server;
import io.github.miniomigrator.support.MinioEvents;
import io.github.miniomigrator.support.TestStores;
import io.github.miniomigrator.support.Wait;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.curator.test.TestingServer;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.domain.PageSet;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.domain.StorageType;
import org.jclouds.blobstore.domain.Tier;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The target addressed as OSS, OBS and S3 are: virtual-hosted (the bucket in the host name), through custom domains
 * that name one bucket, and through the runbook's bucket-domain endpoint. The target is S3Proxy in virtual-host mode
 * under the name oss.test; this JVM resolves the test names from src/test/hosts, which leaves out oss.test itself, so
 * a path-style request cannot succeed. What the server stored is read from its blob store, not through S3 addressing.
 */
@Tag("cluster")
class OssTargetIT {
    static final String VIRTUAL_HOST = "oss.test";
    static final String SOURCE = "archive-temp";
    static final String TOKEN = "webhook-token-0123456789abcdef";
    static final Duration WAIT = Duration.ofSeconds(60);

    @org.junit.jupiter.api.BeforeAll
    static void namesResolveFromTheTestHostsFile() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("jdk.net.hosts.file") != null,
                "run by the failsafe execution 'named-hosts', which resolves oss.test names from src/test/hosts");
    }

    static EmbeddedS3Server ossLike(boolean tls) throws Exception {
        return EmbeddedS3Server.start("target-access", TestStores.TARGET_SECRET, null, tls, VIRTUAL_HOST);
    }

    /** key -> size:md5 of every object the server holds in a bucket, as CopyIT compares buckets. */
    static Map<String, String> stored(EmbeddedS3Server server, String bucket) throws Exception {
        BlobStore store = server.blobStore();
        Map<String, String> stored = new TreeMap<>();
        String marker = null;
        do {
            ListContainerOptions options = ListContainerOptions.Builder.recursive();
            if (marker != null) {
                options.afterMarker(marker);
            }
            PageSet<? extends StorageMetadata> page = store.list(bucket, options);
            for (StorageMetadata item : page) {
                if (item.getType() != StorageType.BLOB) {
                    continue;
                }
                MessageDigest md5 = MessageDigest.getInstance("MD5");
                long size = 0;
                try (InputStream in = store.getBlob(bucket, item.getName()).getPayload().openStream()) {
                    byte[] buffer = new byte[1 << 16];
                    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                        md5.update(buffer, 0, n);
                        size += n;
                    }
                }
                stored.put(item.getName(), size + ":" + HexFormat.of().formatHex(md5.digest()));
            }
            marker = page.getNextMarker();
        } while (marker != null);
        return stored;
    }

    static void fill(TestStores stores, String bucket, int seed, int bigMiB) {
        stores.source.createBucket(bucket);
        Random random = new Random(seed);
        for (String key : List.of("发票/2024/发票（一）.pdf", "scans/a b+c.tif", "scans/2024/01/0001.tif", "readme.txt")) {
            put(stores.sourceClient, bucket, key, CopyIT.bytes(random, 100 + random.nextInt(4000)));
        }
        if (bigMiB > 0) {
            put(stores.sourceClient, bucket, "backup/large.tar", CopyIT.bytes(random, bigMiB << 20));
        }
    }

    static List<String> args(TestStores stores, EmbeddedS3Server oss, String provider, String buckets, String... more) {
        List<String> args = stores.arguments(buckets, "migration.target.provider=" + provider, "migration.target.endpoint=" + oss.endpoint(),
                "migration.target.region=cn-hangzhou");
        if (oss.caCertificate() != null) {
            args.add("migration.target.ca-cert=" + oss.caCertificate());
        }
        args.addAll(List.of(more));
        return args;
    }

    @ParameterizedTest(name = "{0} tls={1}")
    @CsvSource({"oss,false", "oss,true", "obs,false", "s3,false"})
    void presetsAddressBucketsVirtualHosted(String provider, boolean tls) throws Exception {
        String bucket = provider + "-temp";
        try (TestStores stores = new TestStores(false); EmbeddedS3Server oss = ossLike(tls)) {
            fill(stores, SOURCE, 1, 7);
            oss.createBucket(bucket);
            List<String> args = args(stores, oss, provider, SOURCE + ":" + bucket, "migration.multipart.part-size=5MiB",
                    "migration.multipart.threshold=6MiB", "migration.verify.sample=all");
            TestStores.Run copy = stores.run("copy", args);
            assertEquals(0, copy.exitCode(), copy.all());
            assertEquals(contents(stores.sourceClient, SOURCE, ""), stored(oss, bucket));
            TestStores.Run verify = stores.run("verify", args);
            assertEquals(0, verify.exitCode(), verify.all());
            assertEquals(0, stores.run("copy", args).exitCode());
            assertEquals(0, CopyIT.lastReport(stores).get("mappings").get(0).get("copiedObjects").asInt(), "a second pass copies nothing");
        }
    }

    @Test
    void customDomainsCarryNoBucketInHostOrPathThroughCopyVerifyEventsSmokeTestAndCutover() throws Exception {
        try (TestStores stores = new TestStores(false); EmbeddedS3Server oss = ossLike(false); TestingServer zk = new TestingServer(true)) {
            fill(stores, SOURCE, 2, 0);
            fill(stores, "archive-pro", 3, 0);
            oss.createBucket("oss-temp");
            // a custom domain names one bucket; S3Proxy names the bucket a host stands for after the host itself
            oss.createBucket("files.example.test");
            String domains = "migration.target.bucket-domains=oss-pro=http://files.example.test:" + oss.port();
            List<String> args = args(stores, oss, "oss", SOURCE + ":oss-temp,archive-pro:oss-pro", domains);

            TestStores.Run copy = stores.run("copy", args);
            assertEquals(0, copy.exitCode(), copy.all());
            assertEquals(contents(stores.sourceClient, "archive-pro", ""), stored(oss, "files.example.test"), "every object at its own key");
            assertEquals(contents(stores.sourceClient, SOURCE, ""), stored(oss, "oss-temp"));
            assertFalse(oss.blobStore().containerExists("oss-pro"), "nothing went to a bucket named in the host or the path");
            assertEquals(0, stores.run("verify", args).exitCode());
            TestStores.Run smoke = stores.run("smoke-test", args);
            assertEquals(0, smoke.exitCode(), smoke.all());

            List<String> runArgs = new ArrayList<>(args);
            int port = EventsIT.freePort();
            runArgs.addAll(List.of("migration.events.mode=webhook", "migration.http.port=" + port, "migration.events.webhook.token=" + TOKEN));
            try (EventsIT.Running run = new EventsIT.Running(stores, runArgs)) {
                put(stores.sourceClient, "archive-pro", "new/after-cutover-prep.pdf", "written while run syncs".getBytes(StandardCharsets.UTF_8));
                assertEquals(200, MinioEvents.post(port, TOKEN, MinioEvents.webhook("s3:ObjectCreated:Put", "archive-pro",
                        "new/after-cutover-prep.pdf")).statusCode());
                Wait.until("the event's object reaches the domain bucket", WAIT, () -> {
                    try {
                        return stored(oss, "files.example.test").containsKey("new/after-cutover-prep.pdf");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                run.awaitDrained();
            }
            assertEquals(contents(stores.sourceClient, "archive-pro", ""), stored(oss, "files.example.test"));

            Path plan = stores.work().resolve("plan.txt");
            Files.writeString(plan, "/api-archive/pri=storeType=4\n/api-archive/pri=endPoint=files.example.test\n");
            List<String> cutoverArgs = new ArrayList<>(args);
            cutoverArgs.addAll(List.of("migration.events.mode=off", "migration.cutover.zookeeper=" + zk.getConnectString(),
                    "migration.cutover.quiet-period=0s", "migration.cutover.plan=" + plan));
            TestStores.Run cutover = stores.run("cutover", cutoverArgs);
            assertEquals(0, cutover.exitCode(), cutover.all());
            assertTrue(cutover.out().contains("Smoke test passed"), cutover.out());
            assertFalse(oss.blobStore().containerExists("oss-pro"));
        }
    }

    /** A custom domain given as the endpoint: bucket.domain does not resolve, and the message says where the domain goes. */
    @Test
    void aCustomDomainAsTheEndpointIsNamedWithTheSettingItBelongsIn() throws Exception {
        try (TestStores stores = new TestStores(false); EmbeddedS3Server oss = ossLike(false)) {
            fill(stores, SOURCE, 4, 0);
            oss.createBucket("files.example.test");
            String domain = "http://files.example.test:" + oss.port();
            TestStores.Run refused = stores.run("copy", args(stores, oss, "oss", SOURCE + ":oss-temp", "migration.target.endpoint=" + domain));
            assertEquals(2, refused.exitCode(), refused.all());
            assertTrue(refused.err().contains("target bucket 'oss-temp' cannot be written: the host oss-temp.files.example.test does not resolve"),
                    refused.all());
            assertTrue(refused.err().contains("migration.target.endpoint=" + domain + " looks like a bucket's own domain"), refused.all());
            assertTrue(refused.err().contains("migration.target.bucket-domains=oss-temp=" + domain), refused.all());
            assertTrue(refused.err().contains("e.g. https://oss-cn-hangzhou.aliyuncs.com"), refused.all());
            assertEquals(Map.of(), stored(oss, "files.example.test"), "nothing written");

            TestStores.Run fixed = stores.run("copy", args(stores, oss, "oss", SOURCE + ":oss-temp",
                    "migration.target.bucket-domains=oss-temp=" + domain));
            assertEquals(0, fixed.exitCode(), fixed.all());
            assertEquals(contents(stores.sourceClient, SOURCE, ""), stored(oss, "files.example.test"));
        }
    }

    /** The same on the source side: an OSS source whose endpoint is a custom domain. */
    @Test
    void aCustomDomainAsTheSourceEndpointIsNamedWithTheSettingItBelongsIn() throws Exception {
        try (TestStores stores = new TestStores(false); EmbeddedS3Server oss = ossLike(false)) {
            oss.createBucket("files.example.test");
            stores.target.createBucket("dst");
            String domain = "http://files.example.test:" + oss.port();
            TestStores.Run refused = stores.run("copy", stores.arguments("archive:dst", "migration.source.provider=oss",
                    "migration.source.endpoint=" + domain, "migration.source.region=cn-hangzhou", "migration.source.access-key=target-access",
                    "migration.source.secret-key=" + TestStores.TARGET_SECRET));
            assertEquals(2, refused.exitCode(), refused.all());
            assertTrue(refused.err().contains("source bucket 'archive' cannot be listed: the host archive.files.example.test does not resolve"),
                    refused.all());
            assertTrue(refused.err().contains("migration.source.bucket-domains=archive=" + domain), refused.all());
        }
    }

    @Test
    void theRunbooksBucketDomainEndpointIsRecognised() throws Exception {
        try (TestStores stores = new TestStores(false); EmbeddedS3Server oss = ossLike(false)) {
            fill(stores, SOURCE, 4, 0);
            oss.createBucket("chengshi-oss");
            // the seed runbook's form: https://chengshi-oss.oss.cn-north-4.myalicloud.com — the host starts with the bucket
            String endpoint = "migration.target.endpoint=http://chengshi-oss." + VIRTUAL_HOST + ":" + oss.port();
            TestStores.Run copy = stores.run("copy", args(stores, oss, "oss", SOURCE + ":chengshi-oss", endpoint));
            assertEquals(0, copy.exitCode(), copy.all());
            assertEquals(contents(stores.sourceClient, SOURCE, ""), stored(oss, "chengshi-oss"));

            stores.source.createBucket("archive-pro");
            TestStores.Run other = stores.run("copy", args(stores, oss, "oss", SOURCE + ":chengshi-oss,archive-pro:oss-pro", endpoint));
            assertEquals(2, other.exitCode(), other.all());
            assertTrue(other.all().contains("is the domain of bucket 'chengshi-oss', so bucket 'oss-pro' cannot be reached through it"), other.all());
        }
    }

    @Test
    void objectsLandInTheStorageClassAskedAndArchivedOnesAreNotReadBack() throws Exception {
        try (TestStores stores = new TestStores(false); EmbeddedS3Server oss = ossLike(false)) {
            fill(stores, SOURCE, 5, 7);
            oss.createBucket("oss-temp");
            oss.createBucket("oss-pro");
            List<String> ia = args(stores, oss, "oss", SOURCE + ":oss-temp", "migration.target.storage-class=IA",
                    "migration.multipart.part-size=5MiB", "migration.multipart.threshold=6MiB");
            TestStores.Run copy = stores.run("copy", ia);
            assertEquals(0, copy.exitCode(), copy.all());
            assertTrue(copy.out().contains("Target: storage class STANDARD_IA (OSS Infrequent Access)"), copy.out());
            assertFalse(copy.out().contains("but the target reports"), "the canary's HEAD shows the class was kept: " + copy.out());
            for (String key : stored(oss, "oss-temp").keySet()) {
                assertEquals(Tier.COOL, oss.blobStore().blobMetadata("oss-temp", key).getTier(), key + " (PUT and multipart upload alike)");
            }

            TestStores.Run wrong = stores.run("copy", args(stores, oss, "oss", SOURCE + ":oss-pro", "migration.target.storage-class=COLDLINE"));
            assertEquals(2, wrong.exitCode(), wrong.all());
            assertTrue(wrong.all().contains("migration.target.storage-class=COLDLINE is not a storage class Alibaba Cloud OSS takes"), wrong.all());
            assertTrue(wrong.all().contains("STANDARD_IA"), wrong.all());
            assertEquals(Map.of(), stored(oss, "oss-pro"), "nothing written");

            List<String> archive = args(stores, oss, "oss", SOURCE + ":oss-pro", "migration.target.storage-class=GLACIER",
                    "migration.verify.sample=all", "migration.smoke-test.sample=3");
            TestStores.Run archived = stores.run("copy", archive);
            assertEquals(0, archived.exitCode(), archived.all());
            assertTrue(archived.out().contains("cannot be read (verify samples, smoke test, the application) until each is restored"),
                    archived.out());
            // S3Proxy keeps GLACIER and DEEP_ARCHIVE as one tier and reports DEEP_ARCHIVE: the canary says so, as it should
            assertTrue(archived.out().contains("was asked to be GLACIER (OSS Archive) but the target reports DEEP_ARCHIVE"), archived.out());
            for (String key : stored(oss, "oss-pro").keySet()) {
                assertEquals(Tier.ARCHIVE, oss.blobStore().blobMetadata("oss-pro", key).getTier(), key);
            }
            TestStores.Run verify = stores.run("verify", archive);
            assertEquals(0, verify.exitCode(), verify.all());
            assertTrue(verify.out().contains("5 sampled objects were not downloaded: they are in an archive storage class"), verify.out());
            TestStores.Run smoke = stores.run("smoke-test", archive);
            assertEquals(0, smoke.exitCode(), smoke.all());
            assertTrue(smoke.out().contains("3 old objects were not read"), smoke.out());
        }
    }

    /**
     * Whichever library speaks TLS (migration.tls.provider), a certificate that does not name the host is refused, on
     * the target and on the source, before anything is written; the same servers reached by a name their certificates
     * hold (localhost) serve the copy. files.example.test resolves to 127.0.0.1 here, but the certificates name only
     * 127.0.0.1 and localhost.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"conscrypt", "jdk"})
    void certificateForAnotherHostIsRefusedOnBothSides(String provider) throws Exception {
        try (TestStores stores = new TestStores(true)) {
            stores.source.createBucket("tls-src");
            stores.target.createBucket("tls-dst");
            put(stores.sourceClient, "tls-src", "a.txt", "a".getBytes(StandardCharsets.UTF_8));
            String tls = "migration.tls.provider=" + provider;
            String wrongTarget = "migration.target.endpoint=https://files.example.test:" + stores.target.port();
            String wrongSource = "migration.source.endpoint=https://files.example.test:" + stores.source.port();
            for (String wrong : List.of(wrongTarget, wrongSource)) {
                TestStores.Run run = stores.run("copy", stores.arguments("tls-src:tls-dst", tls, wrong));
                assertEquals(2, run.exitCode(), wrong + ": " + run.all());
                assertTrue(run.err().contains("files.example.test") && run.err().contains("the TLS connection was refused"),
                        "the error names the host and the cause: " + run.err());
                assertTrue(TestStores.keys(stores.targetClient, "tls-dst").isEmpty(), "nothing written: " + run.all());
            }
            TestStores.Run run = stores.run("copy", stores.arguments("tls-src:tls-dst", tls,
                    "migration.target.endpoint=https://localhost:" + stores.target.port(),
                    "migration.source.endpoint=https://localhost:" + stores.source.port()));
            assertEquals(0, run.exitCode(), run.all());
            assertEquals(List.of("a.txt"), TestStores.keys(stores.targetClient, "tls-dst"));
        }
    }
}
