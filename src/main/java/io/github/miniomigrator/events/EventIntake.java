package io.github.miniomigrator.events;

import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.config.KeyFilter;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where every transport hands its event bodies: parsed once, filtered to the mapped buckets and to the keys in scope
 * (migration.include / migration.exclude), queued. An event for a key out of scope is ignored, as one for a bucket not
 * mapped: counted, never synced, so neither a copy nor a delete comes of it.
 */
public final class EventIntake {
    private static final Logger LOG = LoggerFactory.getLogger(EventIntake.class);
    private final Set<String> sourceBuckets;
    private final ChangeQueue queue;
    private final SyncStatus status;
    private final KeyFilter scope;

    public EventIntake(List<BucketMapping> mappings, KeyFilter scope, ChangeQueue queue, SyncStatus status) {
        this.scope = scope;
        this.sourceBuckets = mappings.stream().map(BucketMapping::sourceBucket).collect(Collectors.toSet());
        this.queue = queue;
        this.status = status;
    }

    /** @throws MalformedEventException when the body is not S3 event records of a known sender (counted) */
    public int accept(String body, MinioEventParser.KeyEncoding encoding) {
        return accept(body, encoding, () -> null);
    }

    /**
     * As {@link #accept(String, MinioEventParser.KeyEncoding)}, each mapped key queued with a ticket from the supplier
     * (the event's claim on the key's next sync); keys of other buckets take none.
     */
    public int accept(String body, MinioEventParser.KeyEncoding encoding, Supplier<Ticket> tickets) {
        List<ObjectChange> changes;
        try {
            changes = MinioEventParser.parse(body, encoding);
        } catch (MalformedEventException e) {
            status.malformed();
            throw e;
        }
        for (ObjectChange change : changes) {
            if (mapped(change)) {
                queue.offer(change, tickets.get());
            }
        }
        return changes.size();
    }

    /** A webhook delivery refused (401: no or wrong secret; 400: not records the tool can read): counted, nothing applied. */
    public void refusedDelivery() {
        status.refused();
    }

    public void accept(ObjectChange change) {
        if (mapped(change)) {
            queue.offer(change);
        }
    }

    private boolean mapped(ObjectChange change) {
        if (!sourceBuckets.contains(change.bucket())) {
            status.ignored();
            LOG.debug("event for bucket {} ignored: not in migration.buckets", change.bucket());
            return false;
        }
        if (!scope.inScope(change.key())) {
            status.ignored();
            LOG.debug("event for {}/{} ignored: the key is outside migration.include / migration.exclude", change.bucket(), change.key());
            return false;
        }
        return true;
    }

    /** For a broker route: a malformed body is logged and counted, never stops the route. */
    public void acceptFromBroker(String body) {
        try {
            accept(body, MinioEventParser.KeyEncoding.QUERY_ESCAPED);
        } catch (MalformedEventException e) {
            LOG.warn("event from migration.events.uri ignored: {}", e.getMessage());
        }
    }
}
