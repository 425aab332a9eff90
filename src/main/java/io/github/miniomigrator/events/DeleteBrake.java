package io.github.miniomigrator.events;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The brake on deletes that events ask for: more than migration.events.max-deletes in a minute engages it, and from
 * then every delete an event asks for waits, held in the queue (none is lost, none is applied), until an operator
 * releases it over JMX ({@code releaseDeletes} on the SyncStatus MBean). A mistaken {@code mc rm -r} on MinIO so
 * empties no more of the target than the limit, however fast its events come. While it holds deletes, passes delete
 * nothing either: a catch-up pass would otherwise apply what the brake holds.
 */
public final class DeleteBrake {
    private static final Logger LOG = LoggerFactory.getLogger(DeleteBrake.class);
    private static final long WINDOW = Duration.ofMinutes(1).toNanos();
    private final long limit;
    private final Deque<Long> recent = new ArrayDeque<>();
    private boolean engaged;
    /** Deletes let through without counting after a release: the ones the operator released. */
    private long released;
    private long engagements;

    /** @param limit deletes per minute before the brake engages; negative: no brake */
    public DeleteBrake(long limit) {
        this.limit = limit;
    }

    /** Whether a delete an event asks for may go now; false: it is held until the brake is released. */
    public synchronized boolean admit() {
        if (limit < 0) {
            return true;
        }
        if (released > 0) {
            released--;
            return true;
        }
        if (engaged) {
            return false;
        }
        long now = System.nanoTime();
        while (!recent.isEmpty() && now - recent.peekFirst() > WINDOW) {
            recent.pollFirst();
        }
        if (recent.size() >= limit) {
            engaged = true;
            engagements++;
            LOG.warn("delete brake engaged: events asked for more than {} deletes within a minute (migration.events.max-deletes); "
                    + "every delete an event asks for now waits, and passes delete nothing. If MinIO's deletes were intended, release "
                    + "them over JMX (minio-migrator:type=SyncStatus, operation releaseDeletes); if not, restore the objects in MinIO "
                    + "and the waiting deletes are dropped", limit);
            return false;
        }
        recent.addLast(now);
        return true;
    }

    /** Releases the brake: the deletes held so far ({@code held} of them) go through, and counting starts again. */
    public synchronized void release(int held) {
        if (engaged || held > 0) {
            LOG.info("delete brake released by the operator: {} held delete(s) go through", held);
        }
        engaged = false;
        released += held;
        recent.clear();
    }

    public synchronized boolean engaged() {
        return engaged;
    }

    /** How often the brake engaged since the start. */
    public synchronized long engagements() {
        return engagements;
    }

    public long limit() {
        return limit;
    }
}
