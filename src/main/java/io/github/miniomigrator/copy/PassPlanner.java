package io.github.miniomigrator.copy;

import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.config.KeyFilter;
import io.github.miniomigrator.config.Setting;
import io.github.miniomigrator.config.SettingsException;
import io.github.miniomigrator.listing.Difference;
import io.github.miniomigrator.listing.DirectoryPlanner;
import io.github.miniomigrator.listing.KeyRange;
import io.github.miniomigrator.listing.ListingEntry;
import io.github.miniomigrator.listing.Lookahead;
import io.github.miniomigrator.listing.ParallelRanges;
import io.github.miniomigrator.listing.RangePlanner;
import io.github.miniomigrator.listing.RangedMergeJoin;
import io.github.miniomigrator.listing.Shard;
import io.github.miniomigrator.store.SourceStore;
import io.github.miniomigrator.store.TargetStore;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The split expression of copy-bucket: the mapping's keys are split into shards — by directory (the default), by key
 * range, or not at all — and each shard's source and target listings are merge-joined on their own,
 * {@code listingConcurrency} shards at once. Every shard is exact on its own, so together they find each key once.
 */
public final class PassPlanner {
    /** How a pass splits the key space (migration.listing.split). */
    public enum Split {
        /** The first directory with keys of its own or several children: its own keys, and each child's (rclone's walk). */
        DIRECTORIES,
        /** Key ranges from one-key probes of the source: for flat buckets on stores where start-after costs one page. */
        RANGES,
        /** One listing from start to end. */
        NONE;

        public static Split parse(String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new SettingsException(Setting.LISTING_SPLIT.key() + "=" + value + " is not a split; write directories, ranges or none.");
            }
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(PassPlanner.class);
    /** Two pages of each listing: enough to keep both stores busy, bounded whatever the bucket size. */
    static final int READ_AHEAD = 2000;
    /** Ranges per listing thread: enough that a large range does not leave the others idle at the end. */
    private static final int RANGES_PER_THREAD = 4;
    private final SourceStore source;
    private final TargetStore target;
    private final Split split;
    private final int listingConcurrency;
    private final KeyFilter scope;

    /** @param scope the keys the pass covers (migration.include / migration.exclude): both listings are cut to them before the join */
    public PassPlanner(SourceStore source, TargetStore target, Split split, int listingConcurrency, KeyFilter scope) {
        this.scope = scope;
        this.source = source;
        this.target = target;
        this.split = split;
        this.listingConcurrency = listingConcurrency;
    }

    public Iterator<Difference> differences(@ExchangeProperty(CopyPass.PROPERTY) CopyPass pass) {
        BucketMapping mapping = pass.mapping();
        List<? extends Shard> shards = pass.shards().isPresent() ? pass.shards().get() : plan(mapping);
        pass.stats().listedRanges(shards.size());
        LOG.debug("{}: split by {} into {} shard(s), listed {} at a time", mapping, split, shards.size(), listingConcurrency);
        RangedMergeJoin.Lister sourceLister = new RangedMergeJoin.Lister() {
            @Override
            public Iterator<ListingEntry> list(String within, String after, boolean delimited) {
                return source.list(mapping.sourceBucket(), within, after, delimited);
            }

            @Override
            public Optional<ListingEntry> head(String key) {
                return source.head(mapping.sourceBucket(), key);
            }
        };
        RangedMergeJoin.Lister targetLister = new RangedMergeJoin.Lister() {
            @Override
            public Iterator<ListingEntry> list(String within, String after, boolean delimited) {
                return target.list(mapping.targetBucket(), mapping.targetPrefix(), within, after, delimited);
            }

            @Override
            public Optional<ListingEntry> head(String key) {
                return target.head(mapping.targetBucket(), mapping.targetPrefix() + key).map(o -> new ListingEntry(key, o.size(), o.etag()));
            }
        };
        ParallelRanges<Difference> join = pass.closeAfter(RangedMergeJoin.start(shards, listingConcurrency, READ_AHEAD,
                scope::inScope, sourceLister, "source bucket " + mapping.sourceBucket(), targetLister, "target " + mapping.describeTarget()));
        pass.listing(shards, join::begun);
        return new Lookahead<>() {
            @Override
            protected Difference advance() {
                if (pass.cancelled()) {
                    pass.stats().passError("stopped before the end of the listing; nothing was deleted. Run again to finish.");
                    return null;
                }
                return join.hasNext() ? join.next() : null;
            }
        };
    }

    /**
     * The keys a copy pass has to decide: {@link #differences} without the keys the two listings prove identical, which
     * are counted here as the decision would count them and go no further (copy-bucket's split). A pass over a bucket
     * already copied — every reconcile pass of `run` — then costs the route nothing per object. Not for verify, which
     * samples identical keys too.
     */
    public Iterator<Difference> differencesToDecide(@ExchangeProperty(CopyPass.PROPERTY) CopyPass pass) {
        Iterator<Difference> all = differences(pass);
        return new Lookahead<>() {
            @Override
            protected Difference advance() {
                while (all.hasNext()) {
                    Difference next = all.next();
                    if (next.source() != null) {
                        pass.stats().listed(next.source().size());
                    }
                    if (!CopyDecision.countedIdentical(next, pass.stats())) {
                        return next;
                    }
                }
                pass.stats().listingComplete(); // the totals are known: the progress line shows % and an ETA
                return null;
            }
        };
    }

    /** The shards of one pass over the mapping, as migration.listing.split says: together they hold every key once. */
    public List<? extends Shard> plan(BucketMapping mapping) {
        return switch (split) {
            case NONE -> List.of(KeyRange.ALL);
            case DIRECTORIES -> DirectoryPlanner.plan(source.directories(mapping.sourceBucket()),
                    target.directories(mapping.targetBucket(), mapping.targetPrefix()));
            case RANGES -> new RangePlanner(listingConcurrency == 1 ? 1 : RANGES_PER_THREAD * listingConcurrency)
                    .plan(source.keySpace(mapping.sourceBucket()));
        };
    }
}
