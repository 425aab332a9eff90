package io.github.miniomigrator.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.listing.DirectoryShard;
import io.github.miniomigrator.listing.KeyRange;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A pass over fixed shards counts each extra target key against the shard it belongs to. */
class CopyPassTest {
    static final BucketMapping MAPPING = new BucketMapping("src", "dst", "");

    @Test
    void extrasAreCountedPerDirectoryShard() {
        try (CopyPass pass = new CopyPass(MAPPING, List.of(DirectoryShard.directKeys("scan/"), DirectoryShard.everything("scan/a/"),
                DirectoryShard.everything("scan/b/")), false)) {
            pass.extraFound("scan/top.pdf");
            pass.extraFound("scan/a/deep/1.pdf");
            pass.extraFound("scan/a/"); // a child's folder object belongs to the child
            pass.extraFound("scan/b/2.pdf");
            assertEquals(List.of(1L, 2L, 1L), List.of(pass.extras(0), pass.extras(1), pass.extras(2)));
        }
    }

    @Test
    void extrasAreCountedPerKeyRangeAndAKeyOfNoShardCountsForAll() {
        try (CopyPass pass = new CopyPass(MAPPING, List.of(new KeyRange(null, "m"), new KeyRange("m", "t")), false)) {
            pass.extraFound("a");
            pass.extraFound("m");
            pass.extraFound("n");
            pass.extraFound("z"); // in neither: counted against both, so neither is left out of the deletion pass
            assertEquals(List.of(3L, 2L), List.of(pass.extras(0), pass.extras(1)));
        }
    }
}
