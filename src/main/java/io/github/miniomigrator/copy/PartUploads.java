package io.github.miniomigrator.copy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import io.github.miniomigrator.store.StopSignal;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * The parts of one multipart upload in flight at once, each on a thread of its own, while the transfer's thread reads the
 * source on into the next buffer. At most {@code concurrency} parts go at once: one on the transfer's own slot, the
 * others each on a spare transfer slot when one is free (none free: the parts go one after another, and the upload still
 * moves). A part owns its buffer until it has been answered, then gives it back, so memory stays within the buffer pool.
 * The first part that fails (after its own retries) fails the upload: the others are told by a {@link StopSignal}, not
 * an interrupt — a part on the wire ends with its request (an interrupt would make the client cut its body), a part
 * waiting to retry stops at once, and no part starts a new try — nothing more is sent, and closing waits until every
 * part has ended: only then may the caller abort the upload, so no part lands after the abort, and the abort finds none
 * in flight. Only a caller that is itself interrupted (a stop of the run) interrupts the parts still in flight.
 */
final class PartUploads implements AutoCloseable {
    /** Sends one part from its buffer (retrying it as a part is retried); answers the part as the completion names it. */
    @FunctionalInterface
    interface PartSender {
        /** @param stop given once the upload has failed: start no further try of this part */
        CompletedPart send(int partNumber, byte[] body, int length, StopSignal stop) throws Exception;
    }

    /** While parts could go in parallel but no spare slot is free, how often to look for one again. */
    private static final long SPARE_LOOK_MILLIS = 50;
    private static final AutoCloseable OWN_SLOT = () -> { };

    private final int concurrency;
    private final Supplier<? extends AutoCloseable> spares;
    private final PartSender sender;
    private final String threadName;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition partEnded = lock.newCondition();
    private final Map<Integer, CompletedPart> answered = new TreeMap<>();
    private final Set<Thread> running = new HashSet<>();
    private final StopSignal stop = new StopSignal();
    private int inFlight;
    private int mostAtOnce;
    private boolean ownSlotInUse;
    private Throwable failure;
    private boolean cancelled;
    private boolean callerInterrupted;

    /**
     * @param concurrency migration.multipart.concurrency: the most parts in flight at once
     * @param spares a spare transfer slot for one more part, or null when none is free (never waits)
     * @param threadName the part threads are named after it and their part number (the transfer's thread name)
     */
    PartUploads(int concurrency, Supplier<? extends AutoCloseable> spares, PartSender sender, String threadName) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("at least one part at a time: " + concurrency);
        }
        this.concurrency = concurrency;
        this.spares = spares;
        this.sender = sender;
        this.threadName = threadName;
    }

    /**
     * Sends a filled buffer as the given part once a slot is free for it (waiting while {@code concurrency} parts are in
     * flight). The buffer is given away: {@code release} runs once the part has been answered or has failed, or at once
     * when it is never sent.
     * @throws Exception the failure of an earlier part (this one is not sent), or InterruptedException while waiting
     */
    void send(int partNumber, byte[] buffer, int length, Runnable release) throws Exception {
        AutoCloseable slot;
        lock.lock();
        try {
            while ((slot = slotForNextPart()) == null) {
                if (inFlight >= concurrency) {
                    partEnded.await();
                } else {
                    partEnded.await(SPARE_LOOK_MILLIS, TimeUnit.MILLISECONDS); // a spare slot may come free elsewhere
                }
            }
            inFlight++; // from here on the part ends through ended(), which gives back its slot and buffer
            mostAtOnce = Math.max(mostAtOnce, inFlight);
        } catch (InterruptedException e) {
            callerInterrupted = true; // a stop of the run: close() interrupts the parts still in flight
            release.run(); // no slot was taken
            throw e;
        } catch (Exception | Error e) {
            release.run(); // no slot was taken
            throw e;
        } finally {
            lock.unlock();
        }
        AutoCloseable taken = slot;
        Thread part = null;
        try {
            part = new Thread(() -> run(partNumber, buffer, length, release, taken), threadName + " part " + partNumber);
            part.setDaemon(true);
            lock.lock();
            try {
                running.add(part);
            } finally {
                lock.unlock();
            }
            part.start();
        } catch (RuntimeException | Error e) { // no thread could be made (native memory): the part never ran
            ended(part, taken, release);
            throw e;
        }
    }

    /** Throws the failure of a part sent earlier, if any: the caller stops reading the source for more. */
    void check() throws Exception {
        lock.lock();
        try {
            throwIfFailed();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until every part sent has been answered.
     * @return the parts in order, as the completion names them
     * @throws Exception the first part's failure
     */
    List<CompletedPart> finish() throws Exception {
        lock.lock();
        try {
            while (inFlight > 0) {
                partEnded.await();
            }
            throwIfFailed();
            return new ArrayList<>(answered.values());
        } finally {
            lock.unlock();
        }
    }

    /** The most parts that were in flight at once. */
    int mostAtOnce() {
        lock.lock();
        try {
            return mostAtOnce;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the upload's parts and waits for them, so that once this returns no part of this upload is on the wire: no
     * part starts a new try, one on the wire ends with its request. When the caller is interrupted (now, or while it
     * waited to send a part) the parts in flight are interrupted too, and its interrupt is kept for after. After
     * {@link #finish} it has nothing to do.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            cancelled = true;
            stop.stop();
            if (callerInterrupted || Thread.currentThread().isInterrupted()) {
                running.forEach(Thread::interrupt);
            }
            while (inFlight > 0) {
                try {
                    partEnded.await();
                } catch (InterruptedException e) {
                    running.forEach(Thread::interrupt); // stopped while waiting for the parts: cut them
                    while (inFlight > 0) {
                        partEnded.awaitUninterruptibly();
                    }
                    Thread.currentThread().interrupt();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: the slot the next part may take now, or null. */
    private AutoCloseable slotForNextPart() throws Exception {
        throwIfFailed();
        if (inFlight >= concurrency) {
            return null;
        }
        if (!ownSlotInUse) {
            ownSlotInUse = true;
            return OWN_SLOT;
        }
        return spares.get();
    }

    private void throwIfFailed() throws Exception {
        if (failure instanceof Exception e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
        if (cancelled) {
            throw new CancellationException("the upload's parts were stopped");
        }
    }

    private void run(int partNumber, byte[] buffer, int length, Runnable release, AutoCloseable slot) {
        try {
            lock.lock();
            try {
                if (failure != null || cancelled) {
                    return; // stopped before it started (an interrupt does not reach a thread not yet alive)
                }
            } finally {
                lock.unlock();
            }
            CompletedPart part = sender.send(partNumber, buffer, length, stop);
            lock.lock();
            try {
                answered.put(partNumber, part);
            } finally {
                lock.unlock();
            }
        } catch (Throwable t) {
            lock.lock();
            try {
                if (failure == null && !cancelled) {
                    failure = t;
                    // the upload has failed: the other parts start no new try (one waiting to retry stops at once), and
                    // one on the wire ends with its request rather than being cut
                    stop.stop();
                }
            } finally {
                lock.unlock();
            }
        } finally {
            ended(Thread.currentThread(), slot, release);
        }
    }

    /** A part is over: its buffer and slot are given back before anyone waiting for the parts hears of it. */
    private void ended(Thread part, AutoCloseable slot, Runnable release) {
        try {
            release.run();
        } finally {
            try {
                if (slot != OWN_SLOT) {
                    slot.close();
                }
            } catch (Exception e) {
                // a spare slot's close throws nothing
            }
            lock.lock();
            try {
                if (slot == OWN_SLOT) {
                    ownSlotInUse = false;
                }
                running.remove(part);
                inFlight--;
                partEnded.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }
}
