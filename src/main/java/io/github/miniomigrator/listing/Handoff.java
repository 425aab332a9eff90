package io.github.miniomigrator.listing;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bounded queue from producer threads to one consumer, with an end and a failure that travel in order behind the
 * elements: the consumer sees every element put before them, then the end (a clean finish) or the failure (thrown,
 * and thrown again if asked again — never a clean end after it). Producers stop waiting once it is closed.
 */
final class Handoff<T> {
    private static final Object END = new Object();

    private final BlockingQueue<Object> queue;
    private volatile boolean closed;
    private Object head;

    Handoff(int capacity) {
        this.queue = new ArrayBlockingQueue<>(Math.max(1, capacity));
    }

    /** Waits for room; false when the handoff was closed (or the thread interrupted) first. */
    boolean put(T element) {
        return offer(element);
    }

    boolean end() {
        return offer(END);
    }

    boolean fail(RuntimeException failure) {
        return offer(failure);
    }

    private boolean offer(Object item) {
        try {
            while (!closed) {
                if (queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** Whether an element is next (waiting for one); throws the failure if that is what came. */
    boolean hasNext() {
        if (head == null) {
            try {
                head = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a listing page", e);
            }
        }
        if (head instanceof RuntimeException failure) {
            throw failure;
        }
        return head != END;
    }

    /** The next element; call after hasNext() said there is one. */
    @SuppressWarnings("unchecked")
    T take() {
        T element = (T) head;
        head = null;
        return element;
    }

    boolean closed() {
        return closed;
    }

    void close() {
        closed = true;
    }
}
