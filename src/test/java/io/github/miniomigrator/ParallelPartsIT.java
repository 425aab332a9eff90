package io.github.miniomigrator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.demo.EmbeddedS3Server;
import io.github.miniomigrator.support.FaultyProxy;
import io.github.miniomigrator.support.PartGate;
import io.github.miniomigrator.support.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21: the parts of one large object go up in parallel (migration.multipart.concurrency) from one ordered read of
 * the source, and a part that fails while others are in flight still leaves the target object absent or old: the other
 * parts end first, then the upload is aborted, and the next pass copies the object. Parallelism is proved at the
 * server's door (a gate that lets parts through only once several are there at once), never by timing.
 */
@Tag("store")
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ParallelPartsIT {
    private static final int MIB = 1 << 20;
    private static final Duration LONGEST_HOLD = Duration.ofSeconds(45);

    @TempDir
    Path data;

    @Test
    void thePartsOfOneObjectAreInFlightTogetherAndItsBytesArriveWhole() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            byte[] body = CopyIT.bytes(new Random(21), 42 * MIB); // 9 parts of 5 MiB, the last one 2 MiB
            TestStores.put(stores.sourceClient, "src", "big.bin", body);
            PartGate gate = new PartGate("/dst/big.bin", 4, part -> FaultyProxy.Fault.PASS, LONGEST_HOLD);
            try (FaultyProxy target = gate.install(RemoveIT.portOf(stores.target.endpoint()))) {
                TestStores.Run run = stores.run("copy", stores.arguments("src:dst", "migration.target.endpoint=" + target.endpoint(),
                        "migration.multipart.threshold=8MiB", "migration.multipart.part-size=5MiB", "migration.multipart.concurrency=4"));
                assertEquals(0, run.exitCode(), run.all());
                assertTrue(gate.metTogether(), "four parts of one object were in flight at once at the server");
                assertEquals(4, gate.peak(), "never more than migration.multipart.concurrency parts at once");
            }
            assertArrayEquals(body, stores.targetClient.getObjectAsBytes(b -> b.bucket("dst").key("big.bin")).asByteArray());
            assertTrue(TestStores.head(stores.targetClient, "dst", "big.bin").eTag().endsWith("-9\""), "uploaded in 9 parts");
        }
    }

    /** With one part at a time the gate never sees two: the setting is the bound. */
    @Test
    void oneAtATimeWhenTheSettingSaysSo() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            byte[] body = CopyIT.bytes(new Random(22), 16 * MIB);
            TestStores.put(stores.sourceClient, "src", "big.bin", body);
            PartGate gate = new PartGate("/dst/big.bin", 1, part -> FaultyProxy.Fault.PASS, LONGEST_HOLD);
            try (FaultyProxy target = gate.install(RemoveIT.portOf(stores.target.endpoint()))) {
                TestStores.Run run = stores.run("copy", stores.arguments("src:dst", "migration.target.endpoint=" + target.endpoint(),
                        "migration.multipart.threshold=8MiB", "migration.multipart.part-size=5MiB", "migration.multipart.concurrency=1"));
                assertEquals(0, run.exitCode(), run.all());
                assertEquals(1, gate.peak(), "one part at a time");
            }
            assertArrayEquals(body, stores.targetClient.getObjectAsBytes(b -> b.bucket("dst").key("big.bin")).asByteArray());
        }
    }

    @Test
    void aSettingOutOfRangeIsRefusedByName() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            TestStores.Run run = stores.run("copy", stores.arguments("src:dst", "migration.multipart.concurrency=65"));
            assertEquals(2, run.exitCode(), run.all());
            assertTrue(run.all().contains("migration.multipart.concurrency=65 is out of range: use a whole number from 1 to 64."), run.all());
        }
    }

    /**
     * Part 2 is refused (403, final) while parts 1, 3 and 4 are held in flight: the copy fails, the target keeps the old
     * object, the other parts are answered before the abort goes out and none is sent after it, no upload and no journal
     * record is left, and the next pass copies the object.
     */
    @Test
    void aPartFailingWhileOthersAreInFlightLeavesTheOldObjectAndAbortsOnlyAfterTheOthers() throws Exception {
        // nio2 lists unfinished uploads, so an upload left behind would show
        try (TestStores stores = new TestStores(EmbeddedS3Server.start("source-access", TestStores.SOURCE_SECRET),
                EmbeddedS3Server.startNio2("target-access", TestStores.TARGET_SECRET, Files.createDirectories(data.resolve("target"))))) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            byte[] old = "the old bytes".getBytes();
            TestStores.put(stores.targetClient, "dst", "big.bin", old);
            byte[] body = CopyIT.bytes(new Random(23), 40 * MIB);
            TestStores.put(stores.sourceClient, "src", "big.bin", body);
            AtomicBoolean refusedOnce = new AtomicBoolean();
            PartGate gate = new PartGate("/dst/big.bin", 4, part -> part == 2 && !refusedOnce.getAndSet(true) ? FaultyProxy.Fault.FORBIDDEN
                    : FaultyProxy.Fault.PASS, LONGEST_HOLD);
            List<String> arguments;
            try (FaultyProxy target = gate.install(RemoveIT.portOf(stores.target.endpoint()))) {
                arguments = stores.arguments("src:dst", "migration.target.endpoint=" + target.endpoint(),
                        "migration.multipart.threshold=8MiB", "migration.multipart.part-size=5MiB", "migration.multipart.concurrency=4");
                TestStores.Run failed = stores.run("copy", arguments);
                assertEquals(1, failed.exitCode(), failed.all());
                assertTrue(gate.metTogether(), "four parts were in flight when part 2 was refused");
                assertEquals(List.of(2), gate.faulted());
                assertArrayEquals(old, stores.targetClient.getObjectAsBytes(b -> b.bucket("dst").key("big.bin")).asByteArray(),
                        "the old object is still there, never a partial one");
                // the abort comes after every other part has been answered: a sibling's failure stops their retries, not
                // their requests (an interrupt would have the client cut a part mid-body), so the abort finds none in flight
                assertEquals(List.of(0), gate.inFlightAtAborts(), "one abort, with no part in flight");
                assertEquals(List.of(), gate.partsAfterAbort(), "no part sent after the abort");
                assertEquals(List.of(), stores.targetClient.listMultipartUploads(b -> b.bucket("dst")).uploads(), "no upload left behind");
                try (Stream<Path> records = Files.list(stores.work().resolve("state").resolve("uploads"))) {
                    assertEquals(List.of(), records.filter(f -> f.toString().endsWith(".upload")).toList(), "the journal is empty");
                }

                TestStores.Run next = stores.run("copy", arguments);
                assertEquals(0, next.exitCode(), next.all());
            }
            assertArrayEquals(body, stores.targetClient.getObjectAsBytes(b -> b.bucket("dst").key("big.bin")).asByteArray(),
                    "the next pass copied it");
        }
    }
}
