package io.github.miniomigrator.verify;

import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.listing.ListingEntry;
import io.github.miniomigrator.store.SourceStore;
import io.github.miniomigrator.store.StoreException;
import io.github.miniomigrator.store.TargetStore;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * migration.verify.sample: downloads objects the metadata called identical from both sides and compares their MD5, to
 * catch what no ETag shows (a target object damaged at rest). N picks a uniform random sample (reservoir sampling, N
 * entries of memory); "all" reads every one.
 */
public final class SampleChecker {
    private final SourceStore source;
    private final TargetStore target;
    private final long size;
    private final boolean all;
    private final List<Pick> reservoir = new ArrayList<>();
    private long seen;

    record Pick(BucketMapping mapping, ListingEntry entry) {
    }

    /** @param sample a count, "all", or 0 for none */
    public SampleChecker(SourceStore source, TargetStore target, String sample) {
        this.source = source;
        this.target = target;
        this.all = sample.equalsIgnoreCase("all");
        this.size = all ? 0 : Long.parseLong(sample);
    }

    public void offer(BucketMapping mapping, ListingEntry entry, VerifyTally tally) {
        if (all) {
            check(new Pick(mapping, entry), tally); // at once, in this transfer thread: nothing is held
            return;
        }
        keep(mapping, entry);
    }

    private synchronized void keep(BucketMapping mapping, ListingEntry entry) {
        if (size == 0) {
            return;
        }
        seen++;
        if (reservoir.size() < size) {
            reservoir.add(new Pick(mapping, entry));
        } else {
            long slot = ThreadLocalRandom.current().nextLong(seen);
            if (slot < size) {
                reservoir.set((int) slot, new Pick(mapping, entry));
            }
        }
    }

    /**
     * Reads the sampled objects of this pass on both sides; a mismatch is a '*', an unreadable one a '!'. Objects in an
     * archive storage class are not read: they cannot be until restored, which is not a difference.
     */
    public void checkSample(VerifyTally tally) {
        List<Pick> picks;
        synchronized (this) {
            picks = new ArrayList<>(reservoir);
            reservoir.clear();
            seen = 0;
        }
        for (Pick pick : picks) {
            check(pick, tally);
        }
    }

    private void check(Pick pick, VerifyTally tally) {
        if (target.storageClass().archive()) {
            tally.sampleArchived.increment();
            return;
        }
        {
            String key = pick.entry().key();
            try {
                String sourceMd5;
                try (InputStream in = source.get(pick.mapping().sourceBucket(), key)) {
                    sourceMd5 = md5(in);
                }
                String targetMd5;
                try (InputStream in = target.get(pick.mapping().targetBucket(), pick.mapping().targetKey(key))) {
                    targetMd5 = md5(in);
                }
                tally.sampled.increment();
                if (!sourceMd5.equals(targetMd5)) {
                    tally.identical.decrement();
                    tally.differ.increment();
                    tally.mark('*', key, "downloaded bytes differ: MD5 " + sourceMd5 + " in the source, " + targetMd5 + " in the target",
                            VerifyMark.Side.of(pick.entry()), VerifyMark.Side.ofSize(pick.entry().size()));
                }
            } catch (Exception e) {
                if (StoreException.archived(e)) {
                    tally.sampleArchived.increment();
                    return;
                }
                tally.errors.increment();
                tally.mark('!', key, "sample download failed: " + StoreException.describe(e), VerifyMark.Side.of(pick.entry()), null);
            }
        }
    }

    private static String md5(InputStream in) throws IOException {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                md5.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(md5.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
