package io.github.miniomigrator;

import static io.github.miniomigrator.support.TestStores.contents;
import static io.github.miniomigrator.support.TestStores.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.support.FaultyProxy;
import io.github.miniomigrator.support.FaultyProxy.Fault;
import io.github.miniomigrator.support.TestStores;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The answers Alibaba Cloud OSS gives that S3Proxy does not, played by a proxy in front of a real S3Proxy target:
 * the 2025 public-endpoint rule, a refused payload hash, throttling with a delay, upper-case ETags.
 */
@Tag("store")
class OssAnswersIT {
    static final String SOURCE = "archive-temp";
    static final String TARGET = "oss-temp";

    static TestStores storesWithObjects(int count, int bigMiB) throws Exception {
        TestStores stores = new TestStores(false);
        stores.source.createBucket(SOURCE);
        stores.target.createBucket(TARGET);
        Random random = new Random(8);
        for (int i = 0; i < count; i++) {
            put(stores.sourceClient, SOURCE, "scan/" + i + ".tif", CopyIT.bytes(random, 500 + random.nextInt(5000)));
        }
        if (bigMiB > 0) {
            put(stores.sourceClient, SOURCE, "big/archive.tar", CopyIT.bytes(random, bigMiB << 20));
        }
        return stores;
    }

    @Test
    void publicEndpointForbiddenStopsPreflightWithTheRuleAndTheFixAndWritesNothing() throws Exception {
        try (TestStores stores = storesWithObjects(5, 0);
                FaultyProxy oss = FaultyProxy.seeing(RemoveIT.portOf(stores.target.endpoint()),
                        r -> r.method().equals("PUT") || r.method().equals("GET") ? Fault.PUBLIC_ENDPOINT_FORBIDDEN : Fault.PASS)) {
            TestStores.Run run = stores.run("copy", stores.arguments(SOURCE + ":" + TARGET, "migration.target.endpoint=" + oss.endpoint()));
            assertEquals(2, run.exitCode(), run.all());
            assertTrue(run.all().contains("PublicEndpointForbidden"), run.all());
            assertTrue(run.all().contains("x-oss-ec 0048-00000401"), "OSS's own error code is shown: " + run.all());
            assertTrue(run.all().contains("accounts opened after 2025-03-20"), run.all());
            assertTrue(run.all().contains("migration.target.bucket-domains=oss-temp=https://"), "the fix names the setting: " + run.all());
            assertTrue(run.all().contains("-internal.aliyuncs.com"), run.all());
            assertEquals(Map.of(), contents(stores.targetClient, TARGET, ""), "nothing written");
            assertFalse(run.all().contains(TestStores.TARGET_SECRET));
        }
    }

    @Test
    void aTargetRefusingUnsignedPayloadsGetsSignedOnesForTheWholeRunAndIsToldSo() throws Exception {
        try (TestStores stores = storesWithObjects(20, 12);
                FaultyProxy oss = FaultyProxy.seeing(RemoveIT.portOf(stores.target.endpoint()),
                        r -> r.method().equals("PUT") && r.hasHeader("x-amz-content-sha256", "UNSIGNED-PAYLOAD")
                                ? Fault.PAYLOAD_HASH_REFUSED : Fault.PASS)) {
            TestStores.Run run = stores.run("copy", stores.arguments(SOURCE + ":" + TARGET, "migration.target.endpoint=" + oss.endpoint(),
                    "migration.target.provider=oss", "migration.target.path-style=true", "migration.multipart.part-size=5MiB",
                    "migration.multipart.threshold=6MiB"));
            assertEquals(0, run.exitCode(), run.all());
            assertTrue(run.out().contains("refused a PUT with UNSIGNED-PAYLOAD (HTTP 400 InvalidArgument"), run.out());
            assertTrue(run.out().contains("x-oss-ec 0002-00000427"), run.out());
            assertTrue(run.out().contains("bodies sent signed"), "the report says how bodies went out: " + run.out());
            assertEquals(contents(stores.sourceClient, SOURCE, ""), contents(stores.targetClient, TARGET, ""));
            assertEquals(1, oss.injected.get(), "only the canary's first PUT was refused; every later PUT and part went signed");
            long signedPuts = oss.heads.stream().filter(h -> h.startsWith("PUT ") && Pattern.compile("(?i)\r\nx-amz-content-sha256: [0-9a-f]{64}\r\n")
                    .matcher(h).find()).count();
            assertTrue(signedPuts >= 20 + 3, "every object and part was sent with its SHA-256: " + signedPuts);
            // the smoke test after a cutover starts afresh: its canary finds the same way
            TestStores.Run smoke = stores.run("smoke-test", stores.arguments(SOURCE + ":" + TARGET, "migration.target.endpoint=" + oss.endpoint(),
                    "migration.target.provider=oss", "migration.target.path-style=true"));
            assertEquals(0, smoke.exitCode(), smoke.all());
            assertTrue(smoke.out().contains("note: the target refused a PUT with UNSIGNED-PAYLOAD"), smoke.out());
        }
    }

    /** OSS's -internal endpoints are plain http on port 80, where the signed Host header has no port. */
    @Test
    void unsignedBodiesOverPlainHttpOnPort80() throws Exception {
        try (TestStores stores = storesWithObjects(10, 0)) {
            FaultyProxy port80;
            try {
                port80 = FaultyProxy.onPort(80, RemoveIT.portOf(stores.target.endpoint()));
            } catch (java.io.IOException e) {
                org.junit.jupiter.api.Assumptions.assumeTrue(false, "port 80 cannot be bound here (not root?): " + e.getMessage());
                return;
            }
            try (port80) {
                assertEquals("http://127.0.0.1", port80.endpoint());
                TestStores.Run run = stores.run("copy", stores.arguments(SOURCE + ":" + TARGET, "migration.target.endpoint=" + port80.endpoint()));
                assertEquals(0, run.exitCode(), run.all());
                assertFalse(run.out().contains("refused a PUT"), run.out());
                long unsignedPuts = port80.heads.stream().filter(h -> h.startsWith("PUT ")
                        && h.toLowerCase(java.util.Locale.ROOT).contains("\r\nx-amz-content-sha256: unsigned-payload\r\n")).count();
                assertEquals(11, unsignedPuts, "the canary and every object went out unsigned, and the store took them");
                assertEquals(contents(stores.sourceClient, SOURCE, ""), contents(stores.targetClient, TARGET, ""));
            }
        }
    }

    @Test
    void throttlingWaitsAsLongAsOssAsks() throws Exception {
        Map<String, Long> firstTry = new ConcurrentHashMap<>();
        Map<String, Long> retried = new ConcurrentHashMap<>();
        try (TestStores stores = storesWithObjects(6, 0);
                FaultyProxy oss = FaultyProxy.seeing(RemoveIT.portOf(stores.target.endpoint()), r -> {
                    if (!r.method().equals("PUT") || !r.path().contains("/scan/")) {
                        return Fault.PASS;
                    }
                    if (firstTry.putIfAbsent(r.path(), System.nanoTime()) == null) {
                        return Fault.THROTTLED;
                    }
                    retried.putIfAbsent(r.path(), System.nanoTime());
                    return Fault.PASS;
                })) {
            TestStores.Run run = stores.run("copy", stores.arguments(SOURCE + ":" + TARGET, "migration.target.endpoint=" + oss.endpoint()));
            assertEquals(0, run.exitCode(), run.all());
            assertEquals(6, retried.size(), "every throttled PUT was tried again");
            for (Map.Entry<String, Long> retry : retried.entrySet()) {
                long waitedMillis = (retry.getValue() - firstTry.get(retry.getKey())) / 1_000_000;
                assertTrue(waitedMillis >= 1500, retry.getKey() + " was retried after " + waitedMillis + " ms; OSS asked for 1500");
            }
            assertEquals(contents(stores.sourceClient, SOURCE, ""), contents(stores.targetClient, TARGET, ""));
        }
    }

    @Test
    void upperCaseEtagsAsOssSendsThemStillMeanIdentical() throws Exception {
        Pattern etag = Pattern.compile("(?i)(<ETag>(?:&quot;|\")?|\r\nETag: \"?)([0-9a-f]{32})");
        try (TestStores stores = storesWithObjects(30, 0);
                FaultyProxy oss = FaultyProxy.seeing(RemoveIT.portOf(stores.target.endpoint()), r -> Fault.PASS)) {
            java.util.concurrent.atomic.AtomicInteger upperCased = new java.util.concurrent.atomic.AtomicInteger();
            oss.rewriteResponses(answer -> {
                Matcher m = etag.matcher(answer);
                StringBuilder out = new StringBuilder();
                while (m.find()) {
                    upperCased.incrementAndGet();
                    m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + m.group(2).toUpperCase(java.util.Locale.ROOT)));
                }
                return m.appendTail(out).toString();
            });
            List<String> args = stores.arguments(SOURCE + ":" + TARGET, "migration.target.endpoint=" + oss.endpoint());
            assertEquals(0, stores.run("copy", args).exitCode());
            TestStores.Run again = stores.run("copy", args);
            assertEquals(0, again.exitCode(), again.all());
            assertEquals(0, CopyIT.lastReport(stores).get("mappings").get(0).get("copiedObjects").asInt(), "nothing copied twice: " + again.out());
            assertEquals(30, CopyIT.lastReport(stores).get("mappings").get(0).get("identicalObjects").asInt());
            assertEquals(0, stores.run("verify", args).exitCode());
            assertTrue(upperCased.get() >= 60, "the tool saw upper-case ETags in listings and answers: " + upperCased.get());
        }
    }
}
