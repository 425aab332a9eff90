package io.github.miniomigrator.copy;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;

/**
 * The heap that object bodies may take: a transfer buffers one small object, or the part it reads plus the parts it has
 * in flight (migration.multipart.concurrency), and all buffers together stay within the budget, so memory is bounded
 * whatever the objects' sizes and the concurrency. Nobody holds a buffer while waiting for another (a part in flight
 * only needs the network), so a transfer always moves with one buffer, and waiting transfers are served in the order
 * they asked: the parts of one object cannot starve the others. Part-sized arrays are kept for reuse rather than left
 * to the garbage collector.
 */
public final class BufferPool {
    private static final int UNIT = 1024;
    private final Semaphore budget;
    private final long budgetBytes;
    private final int pooledSize;
    private final ConcurrentLinkedDeque<byte[]> free = new ConcurrentLinkedDeque<>();

    public BufferPool(long budgetBytes, int pooledSize) {
        this.budgetBytes = Math.max(budgetBytes, pooledSize);
        this.budget = new Semaphore((int) Math.min(Integer.MAX_VALUE, ceilUnits(this.budgetBytes)), true);
        this.pooledSize = pooledSize;
    }

    public long budgetBytes() {
        return budgetBytes;
    }

    /** A buffer of at least {@code size} bytes; waits while the budget is taken by other transfers. */
    public byte[] acquire(int size) throws InterruptedException {
        if (size > budgetBytes) {
            throw new IllegalStateException("a part of " + (size >> 20) + " MiB does not fit in the buffer memory of "
                    + (budgetBytes >> 20) + " MiB: raise migration.buffer-memory (and the heap, -Xmx) to at least twice that");
        }
        boolean pooled = size > pooledSize / 2 && size <= pooledSize;
        int capacity = pooled ? pooledSize : size;
        budget.acquire(ceilUnits(capacity));
        if (pooled) {
            byte[] buffer = free.poll();
            return buffer != null ? buffer : new byte[pooledSize];
        }
        return new byte[capacity];
    }

    public void release(byte[] buffer) {
        if (buffer == null) {
            return;
        }
        if (buffer.length == pooledSize) {
            free.push(buffer);
        }
        budget.release(ceilUnits(buffer.length));
    }

    private static int ceilUnits(long bytes) {
        return (int) ((bytes + UNIT - 1) / UNIT);
    }
}
