package io.github.miniomigrator.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.store.StoreException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/** The parts of one upload in flight at once: within the bound and the slots, in order, and stopped whole on a failure. */
@Timeout(30)
class PartUploadsTest {
    private static final byte[] BUFFER = new byte[16];

    /** Parts that wait until the test lets them go, counting how many are in flight. */
    private static final class HeldParts implements PartUploads.PartSender {
        final AtomicInteger now = new AtomicInteger();
        final AtomicInteger started = new AtomicInteger();
        final CountDownLatch go = new CountDownLatch(1);
        volatile int failing = -1;

        @Override
        public CompletedPart send(int partNumber, byte[] body, int length) throws Exception {
            now.incrementAndGet();
            started.incrementAndGet();
            try {
                if (partNumber == failing) {
                    throw new StoreException("upload part " + partNumber + " failed: HTTP 403", null);
                }
                go.await();
                return CompletedPart.builder().partNumber(partNumber).eTag("etag-" + partNumber).build();
            } finally {
                now.decrementAndGet();
            }
        }
    }

    private static void awaitState(String what, java.util.function.BooleanSupplier state) throws InterruptedException {
        while (!state.getAsBoolean()) {
            Thread.sleep(5); // polling a state, not timing it: the test's own timeout bounds the wait
        }
    }

    @Test
    void partsGoInParallelUpToTheBoundAndComeBackInOrder() throws Exception {
        TransferSlots slots = new TransferSlots(8);
        HeldParts sender = new HeldParts();
        AtomicInteger released = new AtomicInteger();
        try (TransferSlots.Slot own = slots.take(); PartUploads parts = new PartUploads(3, slots::trySpare, sender, "t")) {
            for (int n = 1; n <= 3; n++) {
                parts.send(n, BUFFER, BUFFER.length, released::incrementAndGet);
            }
            awaitState("three parts in flight", () -> sender.now.get() == 3);
            assertEquals(3, slots.inFlight(), "the transfer's own slot and two spares");
            Thread fourth = new Thread(() -> {
                try {
                    parts.send(4, BUFFER, BUFFER.length, released::incrementAndGet);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            fourth.start();
            awaitState("the fourth part waiting for a place", () -> fourth.getState() == Thread.State.WAITING
                    || fourth.getState() == Thread.State.TIMED_WAITING);
            assertEquals(3, sender.started.get(), "no fourth part while three are in flight");
            sender.go.countDown();
            fourth.join();
            List<CompletedPart> done = parts.finish();
            assertEquals(List.of(1, 2, 3, 4), done.stream().map(CompletedPart::partNumber).toList());
            assertEquals(4, released.get(), "every buffer given back");
            assertEquals(3, parts.mostAtOnce());
        }
        assertEquals(0, slots.inFlight(), "every spare slot given back");
    }

    /** With no slot to spare (other transfers hold or wait for them) the parts go one after another on the transfer's own. */
    @Test
    void withoutASpareSlotPartsGoOneAfterAnother() throws Exception {
        TransferSlots slots = new TransferSlots(1);
        AtomicInteger now = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        PartUploads.PartSender sender = (n, body, length) -> {
            peak.accumulateAndGet(now.incrementAndGet(), Math::max);
            Thread.yield();
            now.decrementAndGet();
            return CompletedPart.builder().partNumber(n).eTag("e" + n).build();
        };
        try (TransferSlots.Slot own = slots.take(); PartUploads parts = new PartUploads(4, slots::trySpare, sender, "t")) {
            for (int n = 1; n <= 20; n++) {
                parts.send(n, BUFFER, BUFFER.length, () -> { });
            }
            assertEquals(20, parts.finish().size());
            assertEquals(1, parts.mostAtOnce(), "one part at a time, and it still moved");
        }
        assertEquals(1, peak.get());
        assertEquals(0, slots.inFlight());
    }

    @Test
    void aTransferWaitingForASlotGoesBeforeMoreParts() throws Exception {
        TransferSlots slots = new TransferSlots(2);
        TransferSlots.Slot own = slots.take();
        TransferSlots.Slot other = slots.take();
        CountDownLatch done = new CountDownLatch(1);
        Thread waiting = new Thread(() -> {
            try (TransferSlots.Slot slot = slots.take()) {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiting.start();
        awaitState("a transfer waiting for a slot", () -> waiting.getState() == Thread.State.WAITING);
        other.close(); // the waiting transfer has it now: fairness, no barging by a part
        assertEquals(null, slots.trySpare(), "no spare while a transfer waits for the slot");
        done.countDown();
        waiting.join();
        TransferSlots.Spare spare = slots.trySpare();
        assertTrue(spare != null, "free again once it is done");
        spare.close();
        spare.close();
        own.close();
        assertEquals(0, slots.inFlight(), "a spare closed twice is given back once");
    }

    @Test
    void theFirstFailureStopsThePartsInFlightAndIsThrownOnce() throws Exception {
        TransferSlots slots = new TransferSlots(4);
        HeldParts sender = new HeldParts();
        sender.failing = 3;
        AtomicInteger released = new AtomicInteger();
        Exception thrown;
        try (TransferSlots.Slot own = slots.take()) {
            PartUploads parts = new PartUploads(4, slots::trySpare, sender, "t");
            parts.send(1, BUFFER, BUFFER.length, released::incrementAndGet);
            parts.send(2, BUFFER, BUFFER.length, released::incrementAndGet);
            parts.send(3, BUFFER, BUFFER.length, released::incrementAndGet);
            // parts 1 and 2 wait in go.await(): the failure of part 3 interrupts them
            awaitState("every part ended", () -> released.get() == 3);
            thrown = assertThrows(StoreException.class, parts::check);
            assertTrue(thrown.getMessage().contains("part 3"), thrown.getMessage());
            AtomicInteger notSent = new AtomicInteger();
            assertSame(thrown, assertThrows(StoreException.class, () -> parts.send(4, BUFFER, BUFFER.length, notSent::incrementAndGet)));
            assertEquals(1, notSent.get(), "a part not sent gives its buffer back at once");
            assertSame(thrown, assertThrows(StoreException.class, parts::finish));
            parts.close();
            assertTrue(sender.started.get() <= 3, "nothing sent after the failure (a part not yet started when it came sends nothing)");
        }
        assertEquals(0, slots.inFlight());
    }

    @Test
    void closingStopsThePartsInFlightAndWaitsForThem() throws Exception {
        TransferSlots slots = new TransferSlots(4);
        HeldParts sender = new HeldParts();
        AtomicInteger released = new AtomicInteger();
        try (TransferSlots.Slot own = slots.take()) {
            PartUploads parts = new PartUploads(4, slots::trySpare, sender, "t");
            for (int n = 1; n <= 4; n++) {
                parts.send(n, BUFFER, BUFFER.length, released::incrementAndGet);
            }
            awaitState("four parts in flight", () -> sender.now.get() == 4);
            parts.close(); // as when the source read fails, or a stop interrupts the transfer
            assertEquals(0, sender.now.get(), "no part is on its way once close returns");
            assertEquals(4, released.get());
        }
        assertEquals(0, slots.inFlight());
    }

    @Test
    void anInterruptedTransferKeepsItsInterruptAfterClosing() throws Exception {
        TransferSlots slots = new TransferSlots(2);
        HeldParts sender = new HeldParts();
        PartUploads parts = new PartUploads(1, slots::trySpare, sender, "t");
        parts.send(1, BUFFER, BUFFER.length, () -> { });
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> parts.send(2, BUFFER, BUFFER.length, () -> { }));
        Thread.currentThread().interrupt();
        parts.close();
        assertTrue(Thread.interrupted(), "the stop is still to be seen by the caller");
        assertEquals(0, sender.now.get());
    }

    @Test
    void aBoundBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PartUploads(0, () -> null, (n, b, l) -> null, "t"));
    }
}
