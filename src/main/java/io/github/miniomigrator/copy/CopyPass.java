package io.github.miniomigrator.copy;

import io.github.miniomigrator.config.BucketMapping;
import java.time.Instant;

/** One pass over one bucket mapping: what it works on, what it found, and the target keys it may delete afterwards. */
public final class CopyPass implements AutoCloseable {
    /** The exchange property under which the routes find the pass. */
    public static final String PROPERTY = "MigrationPass";

    private final BucketMapping mapping;
    private final PassStats stats = new PassStats();
    private final ExtraKeys extraKeys;
    private final Instant started = Instant.now();
    private volatile Instant finished;
    private final java.util.List<AutoCloseable> resources = new java.util.concurrent.CopyOnWriteArrayList<>();

    public CopyPass(BucketMapping mapping) {
        this.mapping = mapping;
        this.extraKeys = new ExtraKeys();
    }

    public BucketMapping mapping() {
        return mapping;
    }

    public PassStats stats() {
        return stats;
    }

    public ExtraKeys extraKeys() {
        return extraKeys;
    }

    public Instant started() {
        return started;
    }

    public Instant finished() {
        return finished;
    }

    public void finish() {
        finished = Instant.now();
    }

    private volatile boolean cancelled;

    /** Stops feeding new keys (the copies under way finish); a stopped pass deletes nothing. */
    public void cancel() {
        cancelled = true;
    }

    public boolean cancelled() {
        return cancelled;
    }

    /** Something the pass opened (a listing reader) that must stop when the pass does. */
    public <T extends AutoCloseable> T closeAfter(T resource) {
        resources.add(resource);
        return resource;
    }

    @Override
    public void close() {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                // closing a reader cannot fail in a way that matters after the pass
            }
        }
        extraKeys.close();
    }
}
