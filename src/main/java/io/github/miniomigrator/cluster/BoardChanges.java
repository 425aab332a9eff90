package io.github.miniomigrator.cluster;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.cache.CuratorCacheStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes whoever waits on the pass board — the shard workers, the leader's pass — when anything under it changes (a pass
 * published or finished, a claim given up or gone with its session, a shard done): a Curator CuratorCache on the board's
 * folder. Only the fact of a change is kept, not the nodes' data: who wakes reads the board again, from ZooKeeper.
 *
 * <p>A waiter takes {@link #seen()} before it reads the board and waits for a change after that, so a change during its
 * read is not missed. Two cases where a watch can be missed keep a poll: until the cache has read the board once (on a
 * ZooKeeper older than 3.6, which has no persistent watches, it never does) the waiters look every quarter second as
 * before; after that a slow poll covers a change lost to an error in the cache's own reads.
 */
final class BoardChanges implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BoardChanges.class);
    /** Until the cache watches: the rate the workers polled at before there was one. */
    static final long UNWATCHED_POLL_MILLIS = 250;
    /** How often a waiter checks that it should still wait (this instance stopping, the lead lost): no ZooKeeper read. */
    private static final long SLICE_MILLIS = 250;

    private final CuratorCache cache;
    private final long fallbackMillis;
    private long changes; // guarded by this
    private volatile boolean watching;

    BoardChanges(CuratorFramework curator, String folder, long fallbackMillis) {
        this.fallbackMillis = fallbackMillis;
        this.cache = CuratorCache.builder(curator, folder).withStorage(CuratorCacheStorage.dataNotCached())
                .withExceptionHandler(e -> LOG.debug("watching the pass board: {}", e.getMessage())).build();
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forAll((type, before, after) -> changed())
                .forInitialized(() -> {
                    changed(); // what was there before the cache read it may be new to its waiters
                    watching = true;
                })
                .build());
    }

    void start() {
        cache.start();
    }

    /** How many changes were seen so far: taken before a read of the board, given to {@link #awaitAfter}. */
    synchronized long seen() {
        return changes;
    }

    /** A change, or a reason to look again that is not one (this instance stops, its connection is back). */
    synchronized void changed() {
        changes++;
        notifyAll();
    }

    /**
     * Waits until something changed after {@code seen}, the fallback poll is due, or {@code goOn} turns false.
     * @return whether a change came
     */
    boolean awaitAfter(long seen, BooleanSupplier goOn) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(watching ? fallbackMillis : UNWATCHED_POLL_MILLIS);
        synchronized (this) {
            while (changes == seen && goOn.getAsBoolean()) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                wait(Math.min(left, SLICE_MILLIS));
            }
            return changes != seen;
        }
    }

    boolean watching() {
        return watching;
    }

    @Override
    public void close() {
        watching = false;
        cache.close();
    }
}
