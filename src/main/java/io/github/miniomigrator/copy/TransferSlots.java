package io.github.miniomigrator.copy;

import java.util.concurrent.CancellationException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The one bound on object transfers in flight in this process: migration.concurrency slots, shared by every pass (its
 * copies and its deletes), every event sync and the fallback direction alike, so that a catch-up pass while events are
 * synced does not double what the target sees. A transfer holds one slot from its first request to its last. The parts
 * of a multipart upload beyond the one its own slot carries each borrow a spare slot ({@link #trySpare}), only while one
 * is free and no transfer waits for it: every slot carries at most one request to the target, so the target sees at most
 * migration.concurrency uploads at once and the clients' connection pools (sized by the slots) never keep a part waiting.
 *
 * <p>Fair: waiting transfers get slots in the order they asked, so neither events nor a pass starve the other.
 * Re-entrant per thread: a thread that holds a slot and starts a nested transfer of the same key (an event's sync that
 * copies through the copy-object route, a copy whose look after the write deletes) takes no second slot — a thread
 * holding a slot never waits for another one, so the slots cannot deadlock. Take a key's lock before its slot, never
 * after: a thread holding a slot then never waits for a key lock another thread holds while it waits for a slot.
 */
public final class TransferSlots {
    private final Semaphore slots;
    private final int size;
    /** How many slots the current thread has taken without giving them back; only the outermost holds a permit. */
    private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);

    public TransferSlots(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("at least one transfer slot: " + size);
        }
        this.size = size;
        this.slots = new Semaphore(size, true);
    }

    /** A slot held until closed (closing twice gives it back once). */
    public final class Slot implements AutoCloseable {
        private boolean closed;

        private Slot() {
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            int[] held = depth.get();
            if (--held[0] == 0) {
                slots.release();
            }
        }
    }

    /** Waits for a slot (at once when this thread holds one already). */
    public Slot take() throws InterruptedException {
        int[] held = depth.get();
        if (held[0] == 0) {
            slots.acquire();
        }
        held[0]++;
        return new Slot();
    }

    /**
     * Runs the work holding a slot.
     * @throws CancellationException when the thread is interrupted while it waits (the interrupt stays set)
     */
    public <T> T holding(Supplier<T> work) {
        Slot slot;
        try {
            slot = take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for a transfer slot");
        }
        try (slot) {
            return work.get();
        }
    }

    /** As {@link #holding(Supplier)}, for work without an answer. */
    public void holding(Runnable work) {
        holding(() -> {
            work.run();
            return null;
        });
    }

    /**
     * A free slot for one more part of a multipart upload, or null when none is free or a transfer is waiting for one
     * (fair: waiting transfers go first, so parts never crowd them out). Never waits; closed by whichever thread the
     * part ran on.
     */
    public Spare trySpare() {
        try {
            return slots.tryAcquire(0, TimeUnit.SECONDS) ? new Spare() : null; // the timed form honours fairness
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** A slot lent to one part: not tied to a thread, given back once however often closed. */
    public final class Spare implements AutoCloseable {
        private final AtomicBoolean closed = new AtomicBoolean();

        private Spare() {
        }

        @Override
        public void close() {
            if (!closed.getAndSet(true)) {
                slots.release();
            }
        }
    }

    /** Transfers (and parts on spare slots) in flight now. */
    public int inFlight() {
        return size - slots.availablePermits();
    }

    /** migration.concurrency: the most transfers in flight at once. */
    public int size() {
        return size;
    }
}
