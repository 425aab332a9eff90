package io.github.miniomigrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.i18n.Language;
import io.github.miniomigrator.i18n.Messages;
import io.github.miniomigrator.support.FaultyProxy;
import io.github.miniomigrator.support.TestStores;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * `check` against real stores (S3Proxy), refusals answered by a proxy in front of them as a store without the grant
 * answers: one line per permission, the grant named in the target's policy language, exit 0 only when all is there,
 * nothing left behind, no secret printed.
 */
@Tag("store")
class CheckIT {
    static TestStores stores;
    static FaultyProxy source;

    @BeforeAll
    static void start() throws Exception {
        stores = new TestStores(false);
        stores.source.createBucket("src");
        stores.target.createBucket("dst");
        TestStores.put(stores.sourceClient, "src", "a.txt", "hello".getBytes());
        // the source through a proxy that serves MinIO's listen API (S3Proxy has none)
        source = new FaultyProxy(RemoveIT.portOf(stores.source.endpoint()), (method, path) -> FaultyProxy.Fault.PASS);
    }

    @AfterAll
    static void stop() throws Exception {
        source.close();
        stores.close();
    }

    private static TestStores.Run check(String... more) throws Exception {
        List<String> args = TestStores.with(stores.arguments("src:dst", "migration.source.endpoint=" + source.endpoint(),
                "migration.target.provider=oss", "migration.target.path-style=true"), more);
        TestStores.Run run = stores.run("check", args);
        assertFalse(run.all().contains(TestStores.SOURCE_SECRET) || run.all().contains(TestStores.TARGET_SECRET), run.all());
        return run;
    }

    private static void nothingLeftBehind() {
        assertEquals(List.of(), TestStores.keys(stores.targetClient, "dst"), "the canary is gone");
        assertEquals(0, stores.targetClient.listMultipartUploads(b -> b.bucket("dst")).uploads().size(), "no upload left");
        assertEquals(List.of("a.txt"), TestStores.keys(stores.sourceClient, "src"), "the source untouched");
    }

    private static String line(String out, String step) {
        return out.lines().filter(l -> l.contains(step)).findFirst().orElseThrow(() -> new AssertionError("no line '" + step + "' in\n" + out));
    }

    @Test
    void everyPermissionThere() throws Exception {
        TestStores.Run run = check();
        assertEquals(0, run.exitCode(), run.all());
        for (String step : List.of("source src: list objects (s3:ListBucket)", "source src: read an object (s3:GetObject)",
                "source src: listen to bucket notifications (s3:ListenBucketNotification)",
                "target dst: list objects (oss:ListObjects)", "target dst: write the canary object (oss:PutObject)",
                "target dst: read the canary back (oss:GetObject)", "target dst: delete the canary (oss:DeleteObject)",
                "target dst: start a multipart upload (oss:PutObject)",
                "target dst: list unfinished multipart uploads (oss:ListMultipartUploads)",
                "target dst: list an upload's parts (oss:ListParts)", "target dst: abort a multipart upload (oss:AbortMultipartUpload)")) {
            assertTrue(line(run.out(), step).endsWith(": ok"), run.out());
        }
        assertTrue(run.out().contains("Check passed: 11 checks"), run.out());
        nothingLeftBehind();
    }

    /** An empty source bucket: a GET of a key that does not exist answers 404, which shows the GET allowed. */
    @Test
    void anEmptySourceBucketIsReadChecked() throws Exception {
        stores.source.createBucket("empty");
        TestStores.Run run = stores.run("check", TestStores.with(stores.arguments("empty:dst", "migration.events.mode=off")));
        assertEquals(0, run.exitCode(), run.all());
        assertTrue(line(run.out(), "source empty: read an object (s3:GetObject)").endsWith(": ok"), run.out());
        assertTrue(line(run.out(), "listen to bucket notifications").contains("not needed, migration.events.mode=off"), run.out());
    }

    @Test
    void theTargetRefusesDeletesAndAborts() throws Exception {
        try (FaultyProxy target = new FaultyProxy(RemoveIT.portOf(stores.target.endpoint()),
                (method, path) -> method.equals("DELETE") ? FaultyProxy.Fault.FORBIDDEN : FaultyProxy.Fault.PASS)) {
            TestStores.Run run = check("migration.target.endpoint=" + target.endpoint());
            assertEquals(MigratorApplication.EXIT_CANNOT_START, run.exitCode(), run.all());
            String delete = line(run.out(), "delete the canary (oss:DeleteObject)");
            assertTrue(delete.contains("MISSING, the store answered HTTP 403 AccessDenied"), delete);
            assertTrue(delete.contains("Grant oss:DeleteObject to migration.target.access-key on bucket dst"), delete);
            assertTrue(delete.contains("Needed only to delete the canary"), delete);
            String abort = line(run.out(), "abort a multipart upload (oss:AbortMultipartUpload)");
            assertTrue(abort.contains("MISSING, the store answered HTTP 403 AccessDenied"), abort);
            assertTrue(abort.contains("Grant oss:AbortMultipartUpload"), abort);
            assertTrue(line(run.out(), "write the canary object").endsWith(": ok"), run.out());
            assertTrue(run.out().contains("Note: the canary "), "the canary left is named: " + run.out());
            assertTrue(run.out().contains("Check FAILED: 2 of 11 checks did not pass"), run.out());
        } finally {
            cleanTarget();
        }
        TestStores.Run withRemove;
        try (FaultyProxy target = new FaultyProxy(RemoveIT.portOf(stores.target.endpoint()),
                (method, path) -> method.equals("DELETE") && !path.contains("uploadId") ? FaultyProxy.Fault.FORBIDDEN : FaultyProxy.Fault.PASS)) {
            withRemove = check("migration.target.endpoint=" + target.endpoint(), "migration.remove=true");
        } finally {
            cleanTarget();
        }
        assertTrue(line(withRemove.out(), "delete the canary").contains("Needed: migration.remove=true deletes"), withRemove.out());
        assertTrue(line(withRemove.out(), "abort a multipart upload").endsWith(": ok"), withRemove.out());
    }

    /** What a refused check left on the target (the canary, the upload) is cleared, so the next test starts clean. */
    private static void cleanTarget() {
        TestStores.keys(stores.targetClient, "dst").forEach(key -> stores.targetClient.deleteObject(b -> b.bucket("dst").key(key)));
        stores.targetClient.listMultipartUploads(b -> b.bucket("dst")).uploads().forEach(upload -> stores.targetClient.abortMultipartUpload(
                b -> b.bucket("dst").key(upload.key()).uploadId(upload.uploadId())));
    }

    @Test
    void theSourceRefusesGets() throws Exception {
        try (FaultyProxy refusing = new FaultyProxy(RemoveIT.portOf(stores.source.endpoint()),
                (method, path) -> method.equals("GET") && path.startsWith("/src/a.txt") ? FaultyProxy.Fault.FORBIDDEN : FaultyProxy.Fault.PASS)) {
            TestStores.Run run = check("migration.source.endpoint=" + refusing.endpoint(), "migration.events.mode=off");
            assertEquals(MigratorApplication.EXIT_CANNOT_START, run.exitCode(), run.all());
            String read = line(run.out(), "source src: read an object (s3:GetObject)");
            assertTrue(read.contains("MISSING, the store answered HTTP 403 AccessDenied"), read);
            assertTrue(read.contains("Grant s3:GetObject to migration.source.access-key on bucket src"), read);
            assertTrue(line(run.out(), "source src: list objects").endsWith(": ok"), run.out());
        }
        nothingLeftBehind();
    }

    /** A key without s3:ListenBucketNotification, and a store without MinIO's listen API (S3Proxy): neither is "ok". */
    @Test
    void theListenApi() throws Exception {
        source.refuseListenRequests(FaultyProxy.Fault.FORBIDDEN);
        TestStores.Run refused;
        try {
            refused = check();
        } finally {
            source.refuseListenRequests(FaultyProxy.Fault.PASS);
        }
        assertEquals(MigratorApplication.EXIT_CANNOT_START, refused.exitCode(), refused.all());
        String listen = line(refused.out(), "source src: listen to bucket notifications (s3:ListenBucketNotification)");
        assertTrue(listen.contains("MISSING, the store answered HTTP 403 AccessDenied"), listen);
        assertTrue(listen.contains("readonly policy lacks it") && listen.contains("migration.events.mode=webhook"), listen);

        TestStores.Run noApi = check("migration.source.endpoint=" + stores.source.endpoint());
        assertEquals(MigratorApplication.EXIT_CANNOT_START, noApi.exitCode(), noApi.all());
        assertTrue(line(noApi.out(), "listen to bucket notifications").contains("could not tell"), noApi.out());
        nothingLeftBehind();
    }

    @Test
    void aWrongTargetSecretIsNoMissingGrant() throws Exception {
        String wrong = "not-the-SECRET-7d1c";
        TestStores.Run run = check("migration.target.secret-key=" + wrong);
        assertEquals(MigratorApplication.EXIT_CANNOT_START, run.exitCode(), run.all());
        assertTrue(run.out().contains("migration.target.secret-key is wrong for migration.target.access-key"), run.out());
        assertTrue(run.out().contains("SignatureDoesNotMatch") && run.out().contains("No permission is missing"), run.out());
        assertEquals(1, run.out().split("SignatureDoesNotMatch", -1).length - 1, "said once: " + run.out());
        assertFalse(run.out().contains("MISSING") || run.out().contains("Grant "), "no grant for a wrong secret: " + run.out());
        assertFalse(run.out().lines().anyMatch(l -> l.contains("target dst:")), "the target's other checks skipped: " + run.out());
        assertFalse(run.all().contains(wrong), "the secret given is never printed: " + run.all());
        nothingLeftBehind();
    }

    @Test
    void chineseLines() throws Exception {
        try {
            TestStores.Run run = check("migration.language=zh");
            assertEquals(0, run.exitCode(), run.all());
            assertTrue(line(run.out(), "目标端 dst：删除探测对象（oss:DeleteObject）").endsWith("：正常"), run.out());
            assertTrue(run.out().contains("检查通过"), run.out());
            assertFalse(run.out().contains(": ok"), run.out());
        } finally {
            Messages.use(Language.EN);
        }
    }

    /** A bucket that is not there is said once per side, its other checks skipped, and nothing is written anywhere. */
    @Test
    void aMissingBucket() throws Exception {
        TestStores.Run run = stores.run("check", stores.arguments("nope:absent", "migration.events.mode=off"));
        assertEquals(MigratorApplication.EXIT_CANNOT_START, run.exitCode(), run.all());
        assertTrue(line(run.out(), "source nope: list objects").contains("could not tell, the store answered HTTP 404 NoSuchBucket"), run.out());
        assertTrue(line(run.out(), "target absent: list objects").contains("the bucket does not exist on migration.target.endpoint"), run.out());
        assertEquals(2, run.out().lines().filter(l -> l.startsWith("  ")).count(), "one line per side: " + run.out());
        assertTrue(stores.targetClient.listBuckets().buckets().stream().noneMatch(b -> b.name().equals("absent")), "never created");
    }

    @Test
    void aSettingsErrorIsExitTwo() throws Exception {
        TestStores.Run run = check("migration.events.mode=sometimes");
        assertEquals(MigratorApplication.EXIT_CANNOT_START, run.exitCode(), run.all());
        assertTrue(run.err().contains("migration.events.mode=sometimes is not a mode"), run.all());
    }
}
