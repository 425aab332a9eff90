package io.github.miniomigrator.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.copy.CopyPass;
import io.github.miniomigrator.copy.DryRun;
import io.github.miniomigrator.listing.Difference;
import io.github.miniomigrator.listing.ListingEntry;
import org.junit.jupiter.api.Test;

/** A dry run's progress line counts what it would copy, never "copied". */
class DryRunProgressTest {
    @Test
    void saysWouldBeCopied() {
        try (DryRun plan = new DryRun(); CopyPass pass = new CopyPass(new BucketMapping("src", "dst", "")).dryRun(plan)) {
            pass.stats().sourceObjects.add(3);
            pass.stats().identicalObjects.add(2);
            plan.wouldCopy(Difference.sourceOnly(new ListingEntry("a", 2048, "9e107d9d372bb6826bd81d3542a419d6"), false));
            assertEquals(pass.mapping() + " (dry run): 3 source objects listed, 1 would be copied (2.0 KiB), 2 identical, 0 failed",
                    CopyCommand.Progress.line(pass, new ProgressLine.Rate(0)));
        }
    }
}
