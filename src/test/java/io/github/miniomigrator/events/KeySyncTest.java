package io.github.miniomigrator.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.miniomigrator.config.BucketMapping;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one decision of an event's sync made before the source is asked: an event for a bucket no mapping copies is
 * counted as ignored and converged at once, touching nothing (KeySync has no store, route, lock or slot here: null).
 * Whether a key is copied or deleted rests on the source's answer, so the rest is EventsIT's, on real servers.
 */
class KeySyncTest {
    @Test
    void anEventForABucketNoMappingCopiesIsIgnored() {
        SyncStatus status = new SyncStatus(Duration.ZERO);
        List<BucketMapping> mappings = List.of(new BucketMapping("src", "dst", ""), new BucketMapping("other", "dst2", ""));
        KeySync sync = new KeySync(null, null, null, null, null, null, true, status, mappings, null, null);
        assertEquals(2, sync.passes().size(), "one long-lived pass per mapped source bucket");
        assertEquals(SyncOutcome.CONVERGED, sync.converge(new ObjectChange("unmapped", "k")));
        assertEquals(1, status.getEventsIgnored());
        assertEquals(0, status.getEventsApplied());
    }
}
