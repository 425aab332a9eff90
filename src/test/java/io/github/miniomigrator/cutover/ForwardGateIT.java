package io.github.miniomigrator.cutover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.config.BucketDomains;
import io.github.miniomigrator.config.PayloadSigning;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.config.TargetClientFactory;
import io.github.miniomigrator.support.HeldAnswers;
import io.github.miniomigrator.support.TestStores;
import io.github.miniomigrator.support.Wait;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * No forward write lands after the gate says it is shut: a PUT the server has stored but not yet answered (its answer
 * held by a real proxy) keeps the gate from saying so until the answer is in; from then on every kind of write through
 * the target's client — PUT, multipart, DELETE, DeleteObjects — is refused before it leaves, while reads and the smoke
 * test's canary pass.
 */
@Tag("store")
class ForwardGateIT {
    static final Duration WAIT = Duration.ofSeconds(60);

    static S3Client client(TestStores stores, String endpoint, ForwardGate gate) {
        Settings settings = new Settings(Map.of("migration.target.endpoint", endpoint, "migration.target.access-key", stores.target.accessKey(),
                "migration.target.secret-key", TestStores.TARGET_SECRET, "migration.target.provider", "generic"));
        return TargetClientFactory.create(settings, new PayloadSigning(), BucketDomains.of(settings), gate);
    }

    static void assertRefused(Executable write) {
        Throwable thrown = assertThrows(Throwable.class, write);
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof ForwardGate.ForwardWriteRefused) {
                return;
            }
        }
        throw new AssertionError("not refused by the gate: " + thrown, thrown);
    }

    @Test
    void aWriteInFlightIsAnsweredBeforeTheGateSaysShutAndEveryWriteAfterItIsRefused() throws Exception {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try (TestStores stores = new TestStores(false);
                HeldAnswers held = new HeldAnswers(stores.target.endpoint(), r -> r.method().equals("PUT") && r.path().startsWith("/dst/held/"),
                        false, WAIT)) {
            stores.target.createBucket("dst");
            TestStores.put(stores.targetClient, "dst", "old.txt", "old".getBytes(StandardCharsets.UTF_8));
            ForwardGate gate = new ForwardGate();
            S3Client target = client(stores, held.proxy.endpoint(), gate);
            Future<?> inFlight = thread.submit(() -> target.putObject(b -> b.bucket("dst").key("held/a.txt"), RequestBody.fromString("a")));
            Wait.until("the server stored the PUT and its answer is held", WAIT, () -> !held.held.isEmpty());

            assertFalse(gate.shut("a cutover is switching", Duration.ofMillis(300)), "not shut while a write is unanswered");
            assertEquals(1, gate.inFlight());
            assertRefused(() -> target.putObject(b -> b.bucket("dst").key("late.txt"), RequestBody.fromString("late")));
            held.release();
            inFlight.get();
            assertTrue(gate.shut("a cutover is switching", WAIT));
            assertEquals(0, gate.inFlight());

            assertRefused(() -> target.putObject(b -> b.bucket("dst").key("after.txt"), RequestBody.fromString("after")));
            assertRefused(() -> target.createMultipartUpload(b -> b.bucket("dst").key("big.bin")));
            assertRefused(() -> target.deleteObject(b -> b.bucket("dst").key("old.txt")));
            assertRefused(() -> target.deleteObjects(b -> b.bucket("dst").delete(d -> d.objects(o -> o.key("old.txt")))));
            assertEquals(List.of("held/a.txt", "old.txt"), TestStores.keys(stores.targetClient, "dst"), "only the write answered before");
            assertEquals(1, target.listObjectsV2(b -> b.bucket("dst").prefix("held/")).keyCount(), "reads pass");
            assertEquals(1L, target.headObject(b -> b.bucket("dst").key("held/a.txt")).contentLength());

            ForwardGate.canary(() -> target.putObject(b -> b.bucket("dst").key("canary.txt"), RequestBody.fromString("c")));
            ForwardGate.canary(() -> target.deleteObject(b -> b.bucket("dst").key("canary.txt")));
            gate.open();
            target.putObject(b -> b.bucket("dst").key("again.txt"), RequestBody.fromString("again"));
            assertEquals(List.of("again.txt", "held/a.txt", "old.txt"), TestStores.keys(stores.targetClient, "dst"));
            target.close();
        } finally {
            thread.shutdownNow();
        }
    }
}
