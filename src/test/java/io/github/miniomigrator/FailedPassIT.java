package io.github.miniomigrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.support.FaultyProxy;
import io.github.miniomigrator.support.TestStores;
import io.github.miniomigrator.support.Wait;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Drained means converged (invariant 11): a `run` whose pass failed — here the target refuses one object's PUT, through a
 * real proxy — is not drained, and says why, until a pass runs clean; then it is.
 */
@Tag("store")
class FailedPassIT {
    static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aRunWhosePassFailedIsNotDrainedUntilAPassRunsClean() throws Exception {
        AtomicBoolean refuse = new AtomicBoolean(true);
        try (TestStores stores = new TestStores(false);
                FaultyProxy target = FaultyProxy.seeing(RemoveIT.portOf(stores.target.endpoint()),
                        r -> refuse.get() && r.method().equals("PUT") && r.path().contains("refused.tif") ? FaultyProxy.Fault.FORBIDDEN
                                : FaultyProxy.Fault.PASS)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            TestStores.put(stores.sourceClient, "src", "scan/ok.tif", "fine".getBytes());
            TestStores.put(stores.sourceClient, "src", "scan/refused.tif", "the target refuses this one".getBytes());
            try (EventsIT.Running run = new EventsIT.Running(stores, stores.arguments("src:dst", "migration.events.mode=off",
                    "migration.target.endpoint=" + target.endpoint(), "migration.reconcile.interval=2s"))) {
                String why = run.command.status().notDrainedBecause(null);
                assertTrue(why != null && why.startsWith("the last full pass failed (1 object(s): scan/refused.tif: HTTP 403"), why);
                assertFalse(run.command.status().isDrained());
                refuse.set(false);
                Wait.until("drained once a pass ran clean (" + run.command.status().line() + ")", WAIT, () -> run.command.status().isDrained());
                assertEquals(2, TestStores.keys(stores.targetClient, "dst").size());
            }
        }
    }
}
