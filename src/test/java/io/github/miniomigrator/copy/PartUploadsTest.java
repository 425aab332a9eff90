package io.github.miniomigrator.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.store.Retry;
import io.github.miniomigrator.store.StopSignal;
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
        final AtomicInteger interrupted = new AtomicInteger();
        volatile int failing = -1;

        @Override
        public CompletedPart send(int partNumber, byte[] body, int length, StopSignal stop) throws Exception {
            now.incrementAndGet();
            started.incrementAndGet();
            try {
                if (partNumber == failing) {
                    throw new StoreException("upload part " + partNumber + " failed: HTTP 403", null);
                }
                try {
                    go.await(); // a request on the wire: it ends when the store answers, whatever the signal says
                } catch (InterruptedException e) {
                    interrupted.incrementAndGet();
                    throw e;
                }
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
        PartUploads.PartSender sender = (n, body, length, stop) -> {
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

    /**
     * Part 3 fails while parts 1 and 2 are on the wire: nothing more is sent, the failure is thrown once to every caller,
     * and the parts on the wire are neither interrupted nor cut: closing waits until the store has answered them, so
     * the abort that follows finds none in flight.
     */
    @Test
    void theFirstFailureLetsThePartsOnTheWireEndAndSendsNothingMore() throws Exception {
        TransferSlots slots = new TransferSlots(4);
        HeldParts sender = new HeldParts();
        sender.failing = 3;
        AtomicInteger released = new AtomicInteger();
        try (TransferSlots.Slot own = slots.take()) {
            PartUploads parts = new PartUploads(4, slots::trySpare, sender, "t");
            parts.send(1, BUFFER, BUFFER.length, released::incrementAndGet);
            parts.send(2, BUFFER, BUFFER.length, released::incrementAndGet);
            parts.send(3, BUFFER, BUFFER.length, released::incrementAndGet);
            awaitState("part 3 failed", () -> released.get() == 1);
            Exception thrown = assertThrows(StoreException.class, parts::check);
            assertTrue(thrown.getMessage().contains("part 3"), thrown.getMessage());
            AtomicInteger notSent = new AtomicInteger();
            assertSame(thrown, assertThrows(StoreException.class, () -> parts.send(4, BUFFER, BUFFER.length, notSent::incrementAndGet)));
            assertEquals(1, notSent.get(), "a part not sent gives its buffer back at once");
            assertEquals(2, sender.now.get(), "parts 1 and 2 are still on the wire, not cut");

            Thread closing = new Thread(parts::close);
            closing.start();
            awaitState("closing waits for the parts on the wire", () -> closing.getState() == Thread.State.WAITING);
            assertEquals(2, sender.now.get());
            sender.go.countDown(); // the store answers them
            closing.join();
            assertEquals(0, sender.now.get(), "no part is on its way once close returns");
            assertEquals(3, released.get(), "every buffer given back");
            assertEquals(0, sender.interrupted.get(), "no part was interrupted");
            assertSame(thrown, assertThrows(StoreException.class, parts::finish));
            assertEquals(3, sender.started.get(), "nothing sent after the failure");
        }
        assertEquals(0, slots.inFlight());
    }

    /** A part waiting to retry stops at the failure of another, at once: it starts no next try. */
    @Test
    void aPartWaitingToRetryStopsWhenAnotherFails() throws Exception {
        TransferSlots slots = new TransferSlots(4);
        Retry slowRetry = new Retry(5, 3_600_000); // 15-30 s before a next try (the cap): the signal ends the wait at once
        AtomicInteger tries = new AtomicInteger();
        CountDownLatch firstFailed = new CountDownLatch(1);
        PartUploads.PartSender sender = (n, body, length, stop) -> {
            if (n == 2) {
                firstFailed.await();
                throw new StoreException("upload part 2 failed: HTTP 403", null);
            }
            return slowRetry.call("upload part 1", stop, () -> {
                tries.incrementAndGet();
                firstFailed.countDown();
                throw new java.io.IOException("connection reset");
            });
        };
        try (TransferSlots.Slot own = slots.take()) {
            PartUploads parts = new PartUploads(2, slots::trySpare, sender, "t");
            parts.send(1, BUFFER, BUFFER.length, () -> { });
            parts.send(2, BUFFER, BUFFER.length, () -> { });
            Exception thrown = assertThrows(StoreException.class, parts::finish);
            assertTrue(thrown.getMessage().contains("part 2"), "the failure reported is the store's, not the stop's: " + thrown.getMessage());
            parts.close();
        }
        assertEquals(1, tries.get(), "part 1 was not tried again once part 2 had failed");
        assertEquals(0, slots.inFlight());
    }

    @Test
    void closingWithoutAFailureWaitsForThePartsOnTheWire() throws Exception {
        TransferSlots slots = new TransferSlots(4);
        HeldParts sender = new HeldParts();
        AtomicInteger released = new AtomicInteger();
        try (TransferSlots.Slot own = slots.take()) {
            PartUploads parts = new PartUploads(4, slots::trySpare, sender, "t");
            for (int n = 1; n <= 4; n++) {
                parts.send(n, BUFFER, BUFFER.length, released::incrementAndGet);
            }
            awaitState("four parts in flight", () -> sender.now.get() == 4);
            Thread closing = new Thread(parts::close); // as when the source read fails
            closing.start();
            awaitState("closing waits for the parts on the wire", () -> closing.getState() == Thread.State.WAITING);
            sender.go.countDown();
            closing.join();
            assertEquals(0, sender.now.get(), "no part is on its way once close returns");
            assertEquals(4, released.get());
            assertEquals(0, sender.interrupted.get());
        }
        assertEquals(0, slots.inFlight());
    }

    /** A stop of the run (the caller interrupted) does not wait for the store: the parts in flight are interrupted. */
    @Test
    void anInterruptedCallerInterruptsThePartsInFlight() throws Exception {
        TransferSlots slots = new TransferSlots(4);
        HeldParts sender = new HeldParts();
        try (TransferSlots.Slot own = slots.take()) {
            PartUploads parts = new PartUploads(4, slots::trySpare, sender, "t");
            for (int n = 1; n <= 3; n++) {
                parts.send(n, BUFFER, BUFFER.length, () -> { });
            }
            awaitState("three parts in flight", () -> sender.now.get() == 3);
            Thread.currentThread().interrupt();
            parts.close();
            assertTrue(Thread.interrupted(), "the stop is still to be seen by the caller");
            assertEquals(0, sender.now.get());
            assertEquals(3, sender.interrupted.get());
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
        assertThrows(IllegalArgumentException.class, () -> new PartUploads(0, () -> null, (n, b, l, stop) -> null, "t"));
    }
}
