package io.github.miniomigrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.support.TestStores;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Every preflight failure: a clear message naming the setting or bucket, exit 2, and nothing written. */
@Tag("store")
class PreflightIT {
    static TestStores stores;

    @BeforeAll
    static void start() throws Exception {
        stores = new TestStores(false);
        stores.source.createBucket("src");
        stores.target.createBucket("dst");
        TestStores.put(stores.sourceClient, "src", "a.txt", "a".getBytes());
    }

    @AfterAll
    static void stop() throws Exception {
        stores.close();
    }

    private static String refused(List<String> args) throws Exception {
        TestStores.Run run = stores.run("copy", args);
        assertEquals(MigratorApplication.EXIT_CANNOT_START, run.exitCode(), run.all());
        assertTrue(TestStores.keys(stores.targetClient, "dst").isEmpty(), "nothing may be written");
        assertFalse(run.all().contains(TestStores.SOURCE_SECRET) || run.all().contains(TestStores.TARGET_SECRET), run.all());
        return run.err();
    }

    /** The abort of an earlier run's leftover upload is said once on the console (the command's line), and kept in the log file. */
    @Test
    void theAbortOfALeftoverUploadIsPrintedOnce() throws Exception {
        java.nio.file.Path data = java.nio.file.Files.createTempDirectory("leftover");
        try (TestStores own = new TestStores(false, data)) {
            own.source.createBucket("src");
            own.target.createBucket("dst");
            TestStores.put(own.sourceClient, "src", "a.txt", "a".getBytes());
            // an upload a killed run started and journalled, with a part held by the store
            String id = own.targetClient.createMultipartUpload(b -> b.bucket("dst").key("big.bin")).uploadId();
            own.targetClient.uploadPart(b -> b.bucket("dst").key("big.bin").uploadId(id).partNumber(1),
                    software.amazon.awssdk.core.sync.RequestBody.fromBytes(new byte[1024]));
            io.github.miniomigrator.store.UploadJournal journal = io.github.miniomigrator.store.UploadJournal.open(own.work().resolve("state"));
            io.github.miniomigrator.store.UploadJournal.Entry entry = journal.intend("dst", "big.bin");
            journal.started(entry.file(), "dst", "big.bin", id, entry.started());

            TestStores.Run run;
            String console;
            String file;
            try (io.github.miniomigrator.support.CapturedLog consoleLog = new io.github.miniomigrator.support.CapturedLog(List.of());
                    io.github.miniomigrator.support.CapturedLog fileLog = new io.github.miniomigrator.support.CapturedLog("file", List.of())) {
                run = own.run("copy", own.arguments("src:dst"));
                console = consoleLog.text();
                file = fileLog.text();
            }
            assertEquals(0, run.exitCode(), run.all());
            String line = "Aborted 1 unfinished multipart uploads";
            assertEquals(1, run.out().split(line, -1).length - 1, run.out());
            assertFalse(console.contains(line), "the console's log repeats the command's line: " + console);
            assertTrue(file.contains(line), "the log file keeps it: " + file);
            assertEquals(0, own.targetClient.listMultipartUploads(b -> b.bucket("dst")).uploads().size(), "aborted");
        }
    }

    @Test
    void aRunWhoseHttpPortIsTakenRefusesBeforeItStarts() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            TestStores.Run run = stores.run("run", stores.arguments("src:dst", "migration.events.mode=webhook",
                    "migration.events.webhook.token=webhook-token-0123456789abcdef", "migration.http.port=" + taken.getLocalPort()));
            assertEquals(MigratorApplication.EXIT_CANNOT_START, run.exitCode(), run.all());
            assertTrue(run.err().contains("migration.http.port=" + taken.getLocalPort() + " cannot be used"), run.all());
            assertTrue(TestStores.keys(stores.targetClient, "dst").isEmpty(), "nothing copied: it never started");
        }
    }

    @Test
    void malformedMapping() throws Exception {
        String err = refused(stores.arguments("src:dst:extra"));
        assertTrue(err.contains("migration.buckets: 'src:dst:extra' is not a mapping"), err);
    }

    @Test
    void bucketNameTheProviderRefuses() throws Exception {
        String err = refused(stores.arguments("src:oss_temp", "migration.target.provider=oss"));
        assertTrue(err.contains("target bucket 'oss_temp' would be refused by Alibaba Cloud OSS"), err);
        assertTrue(err.contains("A valid name would be 'oss-temp'"), err);
    }

    @Test
    void missingCredentials() throws Exception {
        List<String> args = new java.util.ArrayList<>(stores.arguments("src:dst"));
        args.removeIf(a -> a.startsWith("migration.target.access-key="));
        String err = refused(args);
        assertTrue(err.contains("migration.target.access-key is not set"), err);
    }

    @Test
    void missingSecretNamesTheEnvironmentVariable() throws Exception {
        TestStores.Run run = runWithEnvironment(Map.of("MIGRATION_SOURCE_SECRET_KEY", TestStores.SOURCE_SECRET));
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("MIGRATION_TARGET_SECRET_KEY"), run.err());
    }

    @Test
    void sourceBucketMissing() throws Exception {
        String err = refused(stores.arguments("nope:dst"));
        assertTrue(err.contains("source bucket 'nope' cannot be listed: HTTP 404 NoSuchBucket"), err);
    }

    @Test
    void sourceCredentialsWrong() throws Exception {
        String err = refused(stores.arguments("src:dst", "migration.source.access-key=someone-else"));
        assertTrue(err.contains("source bucket 'src' cannot be listed: HTTP 403 InvalidAccessKeyId"), err);
        assertTrue(err.contains("does not know migration.source.access-key"), err);
        assertFalse(err.contains("grant"), "a wrong key is no permission to grant: " + err);
    }

    @Test
    void sourceSecretWrong() throws Exception {
        String err = refused(stores.arguments("src:dst", "migration.source.secret-key=not-the-secret"));
        assertTrue(err.contains("source bucket 'src' cannot be listed: HTTP 403 SignatureDoesNotMatch"), err);
        assertTrue(err.contains("migration.source.secret-key is wrong for migration.source.access-key"), err);
        assertFalse(err.contains("grant"), "a wrong secret is no permission to grant: " + err);
    }

    /** A store that knows the keys and refuses the listing: the permissions to grant, MinIO's readonly policy's gap named. */
    @Test
    void sourceListingDenied() throws Exception {
        try (io.github.miniomigrator.support.FaultyProxy source = new io.github.miniomigrator.support.FaultyProxy(
                RemoveIT.portOf(stores.source.endpoint()), (method, path) -> io.github.miniomigrator.support.FaultyProxy.Fault.FORBIDDEN)) {
            String err = refused(stores.arguments("src:dst", "migration.source.endpoint=" + source.endpoint()));
            assertTrue(err.contains("source bucket 'src' cannot be listed: HTTP 403 AccessDenied"), err);
            assertTrue(err.contains("grant s3:ListBucket and s3:GetObject"), err);
            assertTrue(err.contains("readonly policy lacks s3:ListBucket"), err);
            assertTrue(err.contains("or the keys belong to another account"), err);
        }
    }

    @Test
    void targetBucketMissing() throws Exception {
        String err = refused(stores.arguments("src:absent"));
        assertTrue(err.contains("target bucket 'absent' cannot be written"), err);
        assertTrue(err.contains("does not exist; create it first"), err);
    }

    @Test
    void targetAccessKeyWrong() throws Exception {
        String err = refused(stores.arguments("src:dst", "migration.target.access-key=someone-else"));
        assertTrue(err.contains("target bucket 'dst' cannot be written: HTTP 403 InvalidAccessKeyId"), err);
        assertTrue(err.contains("does not know migration.target.access-key"), err);
        assertFalse(err.contains("grant"), "a wrong key is no permission to grant: " + err);
    }

    @Test
    void targetSecretWrong() throws Exception {
        String err = refused(stores.arguments("src:dst", "migration.target.secret-key=not-the-secret"));
        assertTrue(err.contains("target bucket 'dst' cannot be written: HTTP 403 SignatureDoesNotMatch"), err);
        assertTrue(err.contains("migration.target.secret-key is wrong for migration.target.access-key"), err);
        assertFalse(err.contains("grant"), "a wrong secret is no permission to grant: " + err);
    }

    /** A store that knows the keys and refuses the bucket (its HEAD has no code: the listing asked after it has). */
    @Test
    void targetNotWritable() throws Exception {
        try (io.github.miniomigrator.support.FaultyProxy target = new io.github.miniomigrator.support.FaultyProxy(
                RemoveIT.portOf(stores.target.endpoint()), (method, path) -> io.github.miniomigrator.support.FaultyProxy.Fault.FORBIDDEN)) {
            String err = refused(stores.arguments("src:dst", "migration.target.endpoint=" + target.endpoint()));
            assertTrue(err.contains("target bucket 'dst' cannot be written: HTTP 403 AccessDenied"), err);
            assertTrue(err.contains("migration.target.access-key may not do that; grant ListBucket, PutObject"), err);
            assertTrue(err.contains("or the keys belong to another account"), err);
        }
    }

    /** An empty region once gave a 66-line Camel stack trace ending in "region must not be blank". */
    @Test
    void emptyRegion() throws Exception {
        String target = refused(stores.arguments("src:dst", "migration.target.region=", "migration.target.provider=oss"));
        assertTrue(target.contains("migration.target.region is empty: set the target store's region, e.g. migration.target.region=cn-hangzhou"),
                target);
        assertEquals(1, target.strip().lines().count(), "one line: " + target);
        String source = refused(stores.arguments("src:dst", "migration.source.region= "));
        assertTrue(source.contains("migration.source.region is empty: set the source store's region, e.g. migration.source.region=us-east-1"),
                source);
        assertEquals(1, source.strip().lines().count(), "one line: " + source);
    }

    @Test
    void endpointThatIsNotAUrl() throws Exception {
        String err = refused(stores.arguments("src:dst", "migration.source.endpoint=minio.internal:9000"));
        assertTrue(err.contains("migration.source.endpoint=minio.internal:9000 is not an http(s) URL"), err);
    }

    private static TestStores.Run runWithEnvironment(Map<String, String> environment) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.nio.file.Path config = java.nio.file.Files.createTempFile("empty", ".properties");
        List<String> args = new java.util.ArrayList<>(List.of("copy", "--config", config.toString()));
        args.addAll(stores.arguments("src:dst"));
        int code = MigratorApplication.run(args.toArray(String[]::new), environment, new java.io.PrintStream(out, true), new java.io.PrintStream(err, true));
        return new TestStores.Run(code, out.toString(), err.toString());
    }
}
