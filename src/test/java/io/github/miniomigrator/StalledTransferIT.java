package io.github.miniomigrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.support.CapturedLog;
import io.github.miniomigrator.support.CuttableRelay;
import io.github.miniomigrator.support.FaultyProxy;
import io.github.miniomigrator.support.TestStores;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * migration.timeout bounds a transfer that stops moving, writing as reading (issue 19, item 7): a proxy passes the first
 * MiB of a transfer on and then nothing more, both connections left open — a path that died mid-upload. The stalled
 * try is given up after the timeout, said in one line, and tried again on a new connection; the object arrives whole.
 * Without the watchdog the uploading thread would block in its socket write for ever (hence the test's own timeout, in
 * a thread of its own).
 */
@Tag("store")
@Tag("slow")
class StalledTransferIT {
    private static final int MIB = 1 << 20;

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anUploadThatStopsMovingIsRetriedOnANewConnection() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            Random data = new Random(19);
            TestStores.put(stores.sourceClient, "src", "single.bin", CopyIT.bytes(data, 24 * MIB)); // one streamed PUT
            TestStores.put(stores.sourceClient, "src", "parts.bin", CopyIT.bytes(data, 40 * MIB)); // parts of 16 MiB
            for (int i = 0; i < 20; i++) {
                TestStores.put(stores.sourceClient, "src", "small/" + i, CopyIT.bytes(data, 1000 + data.nextInt(50_000)));
            }
            AtomicBoolean singleSilenced = new AtomicBoolean();
            AtomicBoolean partSilenced = new AtomicBoolean();
            AtomicLong lastSilence = new AtomicLong();
            try (FaultyProxy target = FaultyProxy.seeing(RemoveIT.portOf(stores.target.endpoint()), r -> {
                boolean put = r.method().equals("PUT");
                if (put && r.path().startsWith("/dst/single.bin") && !singleSilenced.getAndSet(true)
                        || put && r.path().startsWith("/dst/parts.bin") && r.path().contains("partNumber=2") && !partSilenced.getAndSet(true)) {
                    lastSilence.set(System.nanoTime());
                    return FaultyProxy.Fault.SILENCE;
                }
                return FaultyProxy.Fault.PASS;
            }).silenceAfter(MIB);
                    CapturedLog log = new CapturedLog(List.of())) {
                TestStores.Run run = stores.run("copy", stores.arguments("src:dst", "migration.target.endpoint=" + target.endpoint(),
                        "migration.timeout=3s", "migration.multipart.threshold=32MiB", "migration.multipart.part-size=16MiB"));
                long afterSilence = (System.nanoTime() - lastSilence.get()) / 1_000_000;
                System.out.println("the copy ended " + afterSilence + " ms after the last upload went silent");
                String all = run.all() + log.text();
                assertEquals(0, run.exitCode(), all);
                assertEquals(2, target.silenced.get(), "both uploads went silent mid-body: " + all);
                // loose on purpose (2 shared cores): the point is seconds, not TCP's quarter of an hour or for ever
                assertTrue(afterSilence < 60_000, "retried within a few timeouts of 3 s, not minutes: " + afterSilence + " ms");
                assertTrue(log.text().contains("PUT dst/single.bin timed out: could send nothing for 3 s; retrying on a new connection (try 2 of 5)"),
                        log.text());
                assertTrue(log.text().contains("PUT dst/parts.bin (part 2) timed out: could send nothing for 3 s; retrying on a new connection "
                        + "(try 2 of 5)"), log.text());
                Map<String, String> source = TestStores.contents(stores.sourceClient, "src", "");
                assertEquals(source, TestStores.contents(stores.targetClient, "dst", ""), "every object arrived whole");
            }
        }
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aDownloadThatStopsMovingIsRetriedOnANewConnection() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            Random data = new Random(7);
            TestStores.put(stores.sourceClient, "src", "read.bin", CopyIT.bytes(data, 12 * MIB));
            AtomicBoolean silenced = new AtomicBoolean();
            try (FaultyProxy source = FaultyProxy.seeing(RemoveIT.portOf(stores.source.endpoint()),
                    r -> r.method().equals("GET") && r.path().equals("/src/read.bin") && !silenced.getAndSet(true)
                            ? FaultyProxy.Fault.SILENCE : FaultyProxy.Fault.PASS).silenceAfter(MIB);
                    CapturedLog log = new CapturedLog(List.of())) {
                TestStores.Run run = stores.run("copy", stores.arguments("src:dst", "migration.source.endpoint=" + source.endpoint(),
                        "migration.timeout=3s"));
                String all = run.all() + log.text();
                assertEquals(0, run.exitCode(), all);
                assertEquals(1, source.silenced.get(), all);
                assertTrue(log.text().contains("GET src/read.bin timed out: received nothing for 3 s; retrying on a new connection (try 2 of 5)"),
                        log.text());
                assertEquals(TestStores.contents(stores.sourceClient, "src", ""), TestStores.contents(stores.targetClient, "dst", ""));
            }
        }
    }

    /** The same over TLS, where closing a socket another thread is writing to goes through the TLS layer's close. */
    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anUploadOverTlsThatStopsMovingIsRetriedOnANewConnection() throws Exception {
        try (TestStores stores = new TestStores(true); CuttableRelay relay = new CuttableRelay(RemoveIT.portOf(stores.target.endpoint()))) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            TestStores.put(stores.sourceClient, "src", "tls.bin", CopyIT.bytes(new Random(11), 24 * MIB));
            relay.silenceOnceAfter(MIB);
            try (CapturedLog log = new CapturedLog(List.of())) {
                TestStores.Run run = stores.run("copy", stores.arguments("src:dst", "migration.target.endpoint=https://" + relay.connectString(),
                        "migration.timeout=3s"));
                String all = run.all() + log.text();
                assertEquals(0, run.exitCode(), all);
                assertEquals(1, relay.silenced.get(), all);
                assertTrue(log.text().contains("PUT dst/tls.bin timed out: could send nothing for 3 s; retrying on a new connection (try 2 of 5)"),
                        log.text());
                assertEquals(TestStores.contents(stores.sourceClient, "src", ""), TestStores.contents(stores.targetClient, "dst", ""));
            }
        }
    }
}
