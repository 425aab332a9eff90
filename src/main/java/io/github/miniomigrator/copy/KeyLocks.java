package io.github.miniomigrator.copy;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Makes every change to one target key happen alone: a copy (GET then PUT) or a delete (source check then DELETE)
 * holds the key's lock, so an event's sync and a pass never interleave and leave an older version last. Striped:
 * memory is fixed, and two keys rarely share a stripe.
 */
public final class KeyLocks {
    private final ReentrantLock[] stripes;

    public KeyLocks(int stripes) {
        this.stripes = new ReentrantLock[stripes];
        for (int i = 0; i < stripes; i++) {
            this.stripes[i] = new ReentrantLock();
        }
    }

    public ReentrantLock of(String bucket, String key) {
        int hash = 31 * bucket.hashCode() + key.hashCode();
        return stripes[Math.floorMod(hash ^ (hash >>> 16), stripes.length)];
    }
}
