package io.github.miniomigrator.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What "drained" means for a leader (its full pass done) and for a follower (no full pass of its own), and the words of why not. */
class SyncStatusTest {
    @Test
    void aLeaderNeedsItsFullPassAFollowerDoesNot() {
        SyncStatus status = new SyncStatus(Duration.ZERO);
        assertEquals("not capturing events yet", status.notDrainedBecause(Instant.now()));
        status.attach(new ChangeQueue(10, status), () -> true);
        assertEquals("its full pass is not done", status.notDrainedBecause(null));
        assertFalse(status.isDrained());
        assertNull(status.notDrainedBecause(Instant.now()), "a follower with nothing pending is drained");
        status.fullPassDone();
        assertTrue(status.isDrained());
        status.fullPassStarted(); // a new term as leader: its pass runs again
        assertFalse(status.isDrained());
    }

    @Test
    void pendingUnreadDisconnectedAndNotQuietAreNamed() {
        SyncStatus status = new SyncStatus(Duration.ofHours(1));
        long[] unread = {3};
        boolean[] connected = {false};
        status.attach(new ChangeQueue(10, status), () -> connected[0], () -> unread[0]);
        Instant following = Instant.now();
        assertEquals("not connected to its events (stream or Kafka group)", status.notDrainedBecause(following));
        connected[0] = true;
        assertEquals("3 unread on Kafka", status.notDrainedBecause(following));
        unread[0] = 0;
        assertEquals("events not quiet for 3600 s yet (none since it began following): drained in 3600 s unless an event comes",
                status.notDrainedBecause(following));
    }
}
