package io.github.miniomigrator.copy;

import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.config.Setting;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.config.SettingsException;
import io.github.miniomigrator.listing.ListingEntry;
import io.github.miniomigrator.store.StoreException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * No stale write across instances, without a distributed lock. Key locks hold within one process only: when another
 * instance copies the same key at the same time (kafka mode: a pass here, the key's event there), the older read may
 * land last, and no event would come to repair it. So after every write of a key its writer looks the key up in the
 * source again (one HEAD) and, while the source changed since the read, converges again. Whichever write lands last,
 * its writer's look comes after it: the target ends on the newest version, level-triggered to the end.
 * <p>
 * It costs a HEAD per write, so it is on only where another process may write the same keys
 * ({@code migration.recheck-after-write}, see {@link #wanted}), and a pass's writes do without it: their look is one
 * settling join after the pass ({@link SettlingJoin}), whose own writes are looked after here. Event syncs and deletes
 * keep the look per write.
 */
public final class WriteRecheck {
    /**
     * Writes again at most this often after the first write. One rewrite is what a race with another instance needs:
     * its newer write landed before our older one, and we read again. Each further one means the source changed yet
     * again during a copy, an application rewriting the key faster than it is copied: each of those writes brings an
     * event of its own, so more rounds would only race the application, copying a large object again each time while
     * holding a transfer thread. Past it the key is counted as failed and handed to the event queue (the next event or
     * pass converges it); three leaves room for a couple of changes that happen to fall into one copy.
     */
    public static final int MAX_REWRITES = 3;
    private static final Logger LOG = LoggerFactory.getLogger(WriteRecheck.class);

    /** The key's size and ETag in the source now, or empty when the source lacks it (a HEAD). */
    public interface SourceLook {
        Optional<ListingEntry> now(String bucket, String sourceKey);
    }

    /** Deletes the target object of a source key. */
    public interface TargetDelete {
        void delete(BucketMapping mapping, String sourceKey);
    }

    /** Where a key that would not hold still goes: the event queue of `run`, so it is synced again. */
    public interface Unsettled {
        void handBack(String sourceBucket, String sourceKey);
    }

    private final boolean enabled;
    private final SourceLook source;
    private final TargetDelete delete;
    private final boolean remove;
    private final Unsettled unsettled;

    public WriteRecheck(boolean enabled, SourceLook source, TargetDelete delete, boolean remove, Unsettled unsettled) {
        this.enabled = enabled;
        this.source = source;
        this.delete = delete;
        this.remove = remove;
        this.unsettled = unsettled;
    }

    /**
     * Whether writes are looked after: {@code on}, {@code off}, or {@code auto} — on where other instances may write the
     * same keys. Today that is kafka mode (instances share a consumer group); the cluster mode turns it on here too.
     */
    public static boolean wanted(Settings settings) {
        String value = settings.get(Setting.RECHECK_AFTER_WRITE).trim().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "on" -> true;
            case "off" -> false;
            case "auto" -> settings.get(Setting.EVENTS_MODE).trim().equalsIgnoreCase("kafka")
                    || !settings.get(Setting.CLUSTER_ZOOKEEPER).isBlank();
            default -> throw new SettingsException(Setting.RECHECK_AFTER_WRITE.key() + "=" + value
                    + " is not known: write auto (on in kafka mode or with migration.cluster.zookeeper, where instances share the keys), on or off.");
        };
    }

    /**
     * After a copy (the caller holds the key's lock): while the source no longer holds what was written, converges
     * again — a fresh copy, or with migration.remove=true a delete when the key is gone — at most {@link #MAX_REWRITES}
     * times.
     * @param written the source object as the copy read it
     * @param copyAgain copies the key once more from a fresh read
     * @return whether the key is settled (false: a copy failed, or the key kept changing; both recorded in the pass)
     */
    boolean settle(CopyPass pass, String key, ListingEntry written, Supplier<CopyOutcome> copyAgain) {
        if (!enabled) {
            return true;
        }
        try {
            return converge(pass, key, written, copyAgain);
        } catch (RuntimeException e) {
            // the key may be left older than the source: a failure like any copy's, tried again by the next event or pass
            pass.stats().failed(key, "could not look after the write: " + StoreException.describe(e));
            LOG.warn("{}/{}: could not look after the write: {}", pass.mapping().sourceBucket(), key, StoreException.describe(e));
            return false;
        }
    }

    private boolean converge(CopyPass pass, String key, ListingEntry written, Supplier<CopyOutcome> copyAgain) {
        BucketMapping mapping = pass.mapping();
        PassStats stats = pass.stats();
        Optional<ListingEntry> held = Optional.of(written);
        for (int rewrites = 0; ; rewrites++) {
            Optional<ListingEntry> now = source.now(mapping.sourceBucket(), key);
            if (same(now, held)) {
                return true;
            }
            if (rewrites == MAX_REWRITES) {
                String reason = "the source changed again after each of " + (MAX_REWRITES + 1) + " writes in a row; left to its next event or pass";
                stats.failed(key, reason);
                LOG.warn("{}/{}: {}", mapping.sourceBucket(), key, reason);
                unsettled.handBack(mapping.sourceBucket(), key);
                return false;
            }
            if (now.isPresent()) {
                CopyOutcome copy = copyAgain.get();
                if (copy.failed()) {
                    return false;
                }
                if (copy.copied()) {
                    stats.rewrites.increment();
                    held = Optional.of(copy.read());
                    continue;
                }
            }
            // the source lacks the key now: converge as an event of its removal does
            if (!remove) {
                String kept = "'" + key + "' was deleted from the source while it was copied; the target keeps its copy (migration.remove=false)";
                stats.note(kept);
                LOG.info("{}: {}", mapping.sourceBucket(), kept);
                return true;
            }
            stats.rewrites.increment();
            delete.delete(mapping, key);
            held = Optional.empty();
        }
    }

    /**
     * After a delete of a key the source lacked (the caller holds the key's lock): the key as the source has it now when
     * it came back meanwhile — another instance may have copied it just before the delete landed — so the caller copies it.
     */
    public Optional<ListingEntry> reappeared(BucketMapping mapping, String key) {
        return enabled ? source.now(mapping.sourceBucket(), key) : Optional.empty();
    }

    /** The same version: both absent, or the same size and ETag. */
    static boolean same(Optional<ListingEntry> a, Optional<ListingEntry> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return a.isEmpty() && b.isEmpty();
        }
        return a.get().size() == b.get().size() && a.get().etag().equals(b.get().etag());
    }
}
