package io.github.miniomigrator.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PartSizeTest {
    private static final int MIB = 1 << 20;

    @Test
    void partsGrowSoThatNoObjectNeedsMoreThanTenThousand() {
        assertEquals(8 * MIB, ObjectCopier.partSize(30L * MIB, 8 * MIB));
        for (long size : new long[] {1L << 30, 100L << 30, 1L << 40, 5L << 40}) {
            int part = ObjectCopier.partSize(size, 8 * MIB);
            assertTrue((size + part - 1) / part <= ObjectCopier.MAX_PARTS, "parts for " + size);
            assertTrue(part >= 8 * MIB && part % MIB == 0);
        }
    }

    @Test
    void theBudgetBoundsBuffersAndRefusesAPartLargerThanItself() throws Exception {
        BufferPool pool = new BufferPool(16 * MIB, 8 * MIB);
        byte[] a = pool.acquire(8 * MIB);
        byte[] b = pool.acquire(8 * MIB);
        Thread waiter = new Thread(() -> {
            try {
                pool.release(pool.acquire(4096));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        waiter.join(300);
        assertTrue(waiter.isAlive(), "the budget is taken: a third buffer waits");
        pool.release(a);
        waiter.join(5000);
        assertTrue(!waiter.isAlive());
        pool.release(b);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> pool.acquire(32 * MIB));
    }
}
