package io.github.miniomigrator.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TransferSlotsTest {
    @Test
    void neverMoreInFlightThanSlots() throws Exception {
        TransferSlots slots = new TransferSlots(3);
        AtomicInteger now = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(12);
        try {
            java.util.List<Future<?>> work = new java.util.ArrayList<>();
            for (int i = 0; i < 120; i++) {
                work.add(threads.submit(() -> slots.holding(() -> {
                    peak.accumulateAndGet(now.incrementAndGet(), Math::max);
                    Thread.onSpinWait();
                    Thread.yield();
                    now.decrementAndGet();
                })));
            }
            for (Future<?> done : work) {
                done.get();
            }
        } finally {
            threads.shutdown();
        }
        assertTrue(peak.get() <= 3, "at most 3 at once: " + peak.get());
        assertEquals(0, slots.inFlight());
    }

    /** A sync that copies through the copy route, or a copy that deletes after its write, takes no second slot. */
    @Test
    void aNestedTransferOnTheSameThreadTakesNoSecondSlot() throws Exception {
        TransferSlots slots = new TransferSlots(1);
        int inner = slots.holding(() -> slots.holding(() -> slots.inFlight()));
        assertEquals(1, inner, "the one slot serves both");
        assertEquals(0, slots.inFlight(), "given back once the outer transfer ends");
        try (TransferSlots.Slot outer = slots.take()) {
            TransferSlots.Slot nested = slots.take();
            nested.close();
            nested.close();
            assertEquals(1, slots.inFlight(), "closing a nested slot twice does not give back the outer one");
        }
        assertEquals(0, slots.inFlight());
    }

    @Test
    void aThreadStoppedWhileWaitingGivesUpWithoutASlot() throws Exception {
        TransferSlots slots = new TransferSlots(1);
        CountDownLatch waiting = new CountDownLatch(1);
        try (TransferSlots.Slot held = slots.take()) {
            AtomicInteger ran = new AtomicInteger();
            Thread waiter = new Thread(() -> {
                waiting.countDown();
                assertThrows(CancellationException.class, () -> slots.holding(ran::incrementAndGet));
                assertTrue(Thread.currentThread().isInterrupted(), "the interrupt stays set");
            });
            waiter.start();
            waiting.await();
            waiter.interrupt();
            waiter.join(TimeUnit.SECONDS.toMillis(10));
            assertFalse(waiter.isAlive());
            assertEquals(0, ran.get());
            assertEquals(1, slots.inFlight());
        }
        assertEquals(0, slots.inFlight());
    }
}
