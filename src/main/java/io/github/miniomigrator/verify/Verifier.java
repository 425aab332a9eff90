package io.github.miniomigrator.verify;

import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.copy.CopyPass;
import io.github.miniomigrator.copy.Identity;
import io.github.miniomigrator.listing.Difference;
import io.github.miniomigrator.listing.ListingEntry;
import io.github.miniomigrator.store.SourceStore;
import io.github.miniomigrator.store.StoreException;
import io.github.miniomigrator.store.TargetObject;
import io.github.miniomigrator.store.TargetStore;
import java.util.Optional;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;

/**
 * The verify-bucket route's step: one marker per key, size first, then hashes. Unsure one-sided findings (keys the two
 * stores may order differently) are looked up on the other side first; a key found on both sides is counted once.
 */
public final class Verifier {
    private final SourceStore source;
    private final TargetStore target;
    private final SampleChecker samples;

    public Verifier(SourceStore source, TargetStore target, SampleChecker samples) {
        this.source = source;
        this.target = target;
        this.samples = samples;
    }

    public void check(@Body Difference difference, @ExchangeProperty(CopyPass.PROPERTY) CopyPass pass,
            @ExchangeProperty(VerifyTally.PROPERTY) VerifyTally tally) {
        BucketMapping mapping = pass.mapping();
        String key = difference.key();
        try {
            switch (difference.side()) {
                case BOTH -> {
                    count(tally, difference.source(), true);
                    count(tally, difference.target(), false);
                    compare(difference.source(), difference.target(), mapping, tally);
                }
                case SOURCE_ONLY -> {
                    count(tally, difference.source(), true);
                    Optional<TargetObject> there = difference.unsure()
                            ? target.head(mapping.targetBucket(), mapping.targetKey(key)) : Optional.empty();
                    if (there.isPresent()) {
                        tally.targetObjects.increment();
                        tally.targetBytes.add(there.get().size());
                        compareWithHead(difference.source(), there.get(), mapping, tally);
                    } else {
                        tally.onlyInSource.increment();
                        tally.mark('+', key, null, VerifyMark.Side.of(difference.source()), null);
                    }
                }
                case TARGET_ONLY -> {
                    if (difference.unsure() && source.exists(mapping.sourceBucket(), key)) {
                        return; // counted where the source side of this key came by
                    }
                    count(tally, difference.target(), false);
                    tally.onlyInTarget.increment();
                    tally.mark('-', key, null, null, VerifyMark.Side.of(difference.target()));
                }
            }
        } catch (RuntimeException e) {
            tally.errors.increment();
            tally.mark('!', key, StoreException.describe(e), VerifyMark.Side.of(difference.source()), VerifyMark.Side.of(difference.target()));
        }
    }

    private void compare(ListingEntry sourceEntry, ListingEntry targetEntry, BucketMapping mapping, VerifyTally tally) {
        if (sourceEntry.size() != targetEntry.size()) {
            tally.differ.increment();
            tally.mark('*', sourceEntry.key(), "size " + sourceEntry.size() + " in the source, " + targetEntry.size() + " in the target",
                    VerifyMark.Side.of(sourceEntry), VerifyMark.Side.of(targetEntry));
            return;
        }
        if (Identity.listingsProve(sourceEntry, targetEntry)) {
            identical(sourceEntry, mapping, tally);
            return;
        }
        Optional<TargetObject> head = target.head(mapping.targetBucket(), mapping.targetKey(sourceEntry.key()));
        if (head.isEmpty()) {
            tally.onlyInSource.increment();
            tally.mark('+', sourceEntry.key(), "deleted from the target during the verify", VerifyMark.Side.of(sourceEntry), null);
            return;
        }
        compareWithHead(sourceEntry, head.get(), mapping, tally);
    }

    private void compareWithHead(ListingEntry sourceEntry, TargetObject head, BucketMapping mapping, VerifyTally tally) {
        if (sourceEntry.size() != head.size()) {
            tally.differ.increment();
            tally.mark('*', sourceEntry.key(), "size " + sourceEntry.size() + " in the source, " + head.size() + " in the target",
                    VerifyMark.Side.of(sourceEntry), VerifyMark.Side.ofSize(head.size()));
        } else if (Identity.recordedSame(sourceEntry, head, target.etags().md5())) {
            identical(sourceEntry, mapping, tally);
        } else if (Identity.comparable(sourceEntry, head)) {
            tally.differ.increment();
            tally.mark('*', sourceEntry.key(), "same size, different content (ETag / MD5)", VerifyMark.Side.of(sourceEntry),
                    VerifyMark.Side.ofSize(head.size()));
        } else {
            // same size, and nothing on either side to compare hashes by (copied by another tool, multipart): rclone's "could not check"
            tally.hashNotChecked.increment();
            identical(sourceEntry, mapping, tally);
        }
    }

    private void identical(ListingEntry sourceEntry, BucketMapping mapping, VerifyTally tally) {
        tally.identical.increment();
        samples.offer(mapping, sourceEntry, tally);
    }

    private static void count(VerifyTally tally, ListingEntry entry, boolean sourceSide) {
        if (sourceSide) {
            tally.sourceObjects.increment();
            tally.sourceBytes.add(entry.size());
        } else {
            tally.targetObjects.increment();
            tally.targetBytes.add(entry.size());
        }
    }
}
