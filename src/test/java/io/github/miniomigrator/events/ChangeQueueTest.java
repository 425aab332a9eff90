package io.github.miniomigrator.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The queue's tickets and one partition's watermark: an event's offset may be committed only once a sync of its key
 * that started after it converged, or a clean catch-up pass that started after the queue let its key go.
 */
class ChangeQueueTest {
    final SyncStatus status = new SyncStatus(Duration.ofSeconds(1));
    final Watermark partition = new Watermark();

    /** The event at this offset, read and queued for its key. */
    void event(ChangeQueue queue, long offset, String key) {
        partition.read(offset);
        queue.offer(new ObjectChange("src", key), partition.claim(offset));
    }

    @Test
    void theWatermarkStaysAtTheOldestEventNotConverged() {
        for (long offset = 0; offset < 5; offset++) {
            partition.read(offset);
        }
        assertEquals(5, partition.safe());
        Ticket one = partition.claim(1);
        Ticket three = partition.claim(3);
        assertEquals(1, partition.safe());
        three.converged();
        assertEquals(1, partition.safe(), "a later event converging first moves nothing");
        one.converged();
        assertEquals(5, partition.safe());
        assertEquals(-1, new Watermark().safe(), "nothing read, nothing to commit");
    }

    @Test
    void manyEventsForOneKeyWaitOnOneSyncAndHoldOneTicket() throws Exception {
        ChangeQueue queue = new ChangeQueue(100, status);
        for (long offset = 0; offset < 10_000; offset++) {
            event(queue, offset, "k" + offset % 10);
        }
        assertEquals(10, partition.waiting(), "one ticket per key, whatever the events");
        assertEquals(0, partition.safe());
        for (int i = 0; i < 10; i++) {
            ObjectChange change = queue.take(0);
            queue.done(change, true);
        }
        assertEquals(10_000, partition.safe());
        assertEquals(10, queue.peak());
    }

    @Test
    void anEventDuringItsKeysSyncWaitsForTheNextSync() throws Exception {
        ChangeQueue queue = new ChangeQueue(100, status);
        event(queue, 0, "k");
        ObjectChange syncing = queue.take(0);
        event(queue, 1, "k"); // the sync under way may have read the source before this change
        queue.done(syncing, true);
        assertEquals(1, partition.safe());
        queue.done(queue.take(0), true);
        assertEquals(2, partition.safe());
    }

    @Test
    void aFailedSyncKeepsItsEventsAndIsTriedAgainLater() throws Exception {
        ChangeQueue queue = new ChangeQueue(100, Duration.ofMillis(200), status);
        event(queue, 0, "k");
        event(queue, 1, "other");
        queue.done(queue.take(0), false);
        queue.done(queue.take(0), true);
        assertEquals(0, partition.safe(), "the failed key's event holds the partition");
        assertEquals(1, queue.owed(), "the key waits for its next try");
        assertNull(queue.take(0), "not before its time");
        // due after 200 ms; a take that waited to the end of its wait (two minutes) instead would miss a bound of one
        long started = System.nanoTime();
        ObjectChange again = queue.take(Duration.ofMinutes(2).toMillis());
        assertEquals(new ObjectChange("src", "k"), again);
        assertTrue(System.nanoTime() - started < Duration.ofMinutes(1).toNanos(), "taken when due, not at the end of the wait");
        queue.done(again, true);
        assertEquals(2, partition.safe());
    }

    @Test
    void anOverflowHandsItsEventsToTheNextCleanCatchUpPass() throws Exception {
        ChangeQueue queue = new ChangeQueue(2, status);
        event(queue, 0, "a");
        event(queue, 1, "b");
        event(queue, 2, "c"); // past the capacity: the queue lets every key go and asks for a catch-up pass
        assertTrue(queue.takeOverflow());
        assertEquals(0, queue.pending());
        assertTrue(queue.awaitsCatchUp());
        assertTrue(queue.lagSeconds() > 0, "the keys let go are part of the lag until a clean pass covers them");
        Receipts duringAnErroredPass = queue.passStarts();
        event(queue, 3, "d"); // after that pass started: it may have listed before this change
        queue.passEnded(duringAnErroredPass, false);
        assertTrue(queue.awaitsPass());
        assertEquals(0, partition.safe());
        queue.done(queue.take(0), true);
        Receipts clean = queue.passStarts();
        assertFalse(queue.awaitsPass());
        queue.passEnded(clean, true);
        assertEquals(4, partition.safe());
        assertFalse(queue.awaitsCatchUp(), "a clean pass that started after the overflow covered it");
        assertEquals(0.0, queue.lagSeconds());
    }

    @Test
    void aFailedSyncWithoutTicketsStaysOwedUntilItConverges() throws Exception {
        ChangeQueue queue = new ChangeQueue(100, Duration.ofMillis(100), status);
        status.attach(queue, () -> true);
        queue.offer(new ObjectChange("src", "k")); // webhook or listen: no ticket waits, the key is owed all the same
        ObjectChange first = queue.take(0);
        status.failed("connect timed out");
        queue.done(first, SyncOutcome.FAILED);
        assertEquals(1, queue.owed());
        assertTrue(status.notDrainedBecause(java.time.Instant.now()).startsWith("1 key(s) owed after failed syncs (connect timed out), next try in"),
                status.notDrainedBecause(java.time.Instant.now()));
        queue.done(queue.take(5_000), SyncOutcome.FAILED);
        assertEquals(200, Duration.ofNanos(queue.backoff(2)).toMillis(), "the wait doubles with each failure in a row");
        assertEquals(600, Duration.ofNanos(queue.backoff(40)).toMillis(), "up to six times the first");
        assertEquals(1, status.getSyncRetries());
        queue.done(queue.take(5_000), SyncOutcome.CONVERGED);
        assertEquals(0, queue.owed());
        assertEquals(0, queue.pending());
        assertEquals(0.0, queue.lagSeconds());
    }

    @Test
    void newsOfAnOwedKeyTriesItAtOnce() throws Exception {
        ChangeQueue queue = new ChangeQueue(100, Duration.ofHours(1), status);
        queue.offer(new ObjectChange("src", "k"));
        queue.done(queue.take(0), SyncOutcome.FAILED);
        assertNull(queue.take(0));
        queue.offer(new ObjectChange("src", "k"));
        assertEquals(new ObjectChange("src", "k"), queue.take(0));
    }

    @Test
    void theLagIsTheAgeOfTheOldestChangeNotConverged() throws Exception {
        ChangeQueue queue = new ChangeQueue(100, Duration.ofHours(1), status);
        queue.offer(new ObjectChange("src", "old"));
        queue.done(queue.take(0), SyncOutcome.FAILED);
        Thread.sleep(50);
        queue.offer(new ObjectChange("src", "new"));
        queue.done(queue.take(0), SyncOutcome.CONVERGED);
        assertTrue(queue.lagSeconds() >= 0.05, "the owed key is older than the one that converged: " + queue.lagSeconds());
        assertEquals(0.0, queue.oldestPendingSeconds(), "nothing waits for a sync: it waits for its next try");
    }

    @Test
    void aRunOfFailuresEndingAsksForACatchUpPass() throws Exception {
        ChangeQueue queue = new ChangeQueue(100, Duration.ofHours(1), status);
        for (int i = 0; i < ChangeQueue.RUN_OF_ERRORS; i++) {
            queue.offer(new ObjectChange("src", "k" + i));
            queue.done(queue.take(0), SyncOutcome.FAILED);
        }
        assertFalse(queue.takeErrorsEnded(), "not while the store is away");
        assertNull(queue.take(0), "the owed keys wait out their backoff");
        queue.offer(new ObjectChange("src", "back"));
        queue.done(queue.take(0), SyncOutcome.CONVERGED);
        assertTrue(queue.takeErrorsEnded());
        assertTrue(queue.take(0) != null, "the store is back: the owed keys are tried at once");
        assertFalse(queue.takeErrorsEnded(), "once");
    }

    @Test
    void heldDeletesWaitForTheOperatorAndNewsOfTheKey() throws Exception {
        ChangeQueue queue = new ChangeQueue(100, Duration.ofMillis(1), status);
        queue.offer(new ObjectChange("src", "a"));
        queue.offer(new ObjectChange("src", "b"));
        queue.done(queue.take(0), SyncOutcome.HELD);
        queue.done(queue.take(0), SyncOutcome.HELD);
        assertEquals(2, queue.held());
        assertNull(queue.take(50), "held deletes are not retried by time");
        queue.offer(new ObjectChange("src", "a")); // restored in MinIO: its sync copies it (or finds it) instead
        assertEquals(new ObjectChange("src", "a"), queue.take(0));
        queue.done(new ObjectChange("src", "a"), SyncOutcome.CONVERGED);
        assertEquals(1, queue.releaseHeld());
        assertEquals(new ObjectChange("src", "b"), queue.take(0));
    }

    @Test
    void theDeleteBrakeEngagesPastItsLimitAndLetsTheReleasedThrough() {
        DeleteBrake brake = new DeleteBrake(3);
        assertTrue(brake.admit());
        assertTrue(brake.admit());
        assertTrue(brake.admit());
        assertFalse(brake.admit(), "the fourth within a minute engages it");
        assertTrue(brake.engaged());
        assertFalse(brake.admit(), "engaged, every delete waits");
        brake.release(2);
        assertFalse(brake.engaged());
        assertTrue(brake.admit());
        assertTrue(brake.admit());
        assertTrue(brake.admit(), "counting starts again after the released ones");
        assertTrue(new DeleteBrake(-1).admit());
    }
}
