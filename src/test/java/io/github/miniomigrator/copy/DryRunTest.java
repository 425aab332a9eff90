package io.github.miniomigrator.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.miniomigrator.listing.Difference;
import io.github.miniomigrator.listing.ListingEntry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reasons a dry run gives, and its spool: every entry back as written, whatever the key holds. */
class DryRunTest {
    static final String MD5 = "9e107d9d372bb6826bd81d3542a419d6";
    static final String OTHER_MD5 = "e4d909c290d0fb1ca068ffaddf22cbd0";

    @Test
    void eachCopyNamesItsReasonWithBothSides() {
        ListingEntry source = new ListingEntry("k", 10, MD5);
        assertEquals("missing on the target", DryRun.copyReason(source, null));
        assertEquals("size differs: source 10 bytes, target 7 bytes", DryRun.copyReason(source, new ListingEntry("k", 7, MD5)));
        assertEquals("ETag differs: source " + MD5 + ", target " + OTHER_MD5 + " (and no source ETag or MD5 recorded on the target matches)",
                DryRun.copyReason(source, new ListingEntry("k", 10, OTHER_MD5)));
    }

    @Test
    void spoolsEveryEntryAndCountsThem() throws Exception {
        List<JsonNode> entries = new ArrayList<>();
        try (DryRun plan = new DryRun()) {
            String awkward = "line\nbreak \"quoted\" 中文";
            plan.wouldCopy(new Difference(Difference.Side.BOTH, awkward, new ListingEntry(awkward, 10, MD5), new ListingEntry(awkward, 3, MD5), false));
            plan.wouldDelete("gone");
            plan.kept("kept", "migration.remove=false");
            ObjectMapper json = new ObjectMapper();
            plan.forEachEntry(line -> {
                try {
                    entries.add(json.readTree(line));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertEquals(1, plan.copyObjects.sum());
            assertEquals(10, plan.copyBytes.sum());
            assertEquals(1, plan.deleteObjects.sum());
            assertEquals(1, plan.keptObjects.sum());
            assertEquals(3, entries.size());
            assertEquals(awkward, entries.get(0).get("key").asText());
            assertEquals("copy", entries.get(0).get("action").asText());
            assertEquals(3, entries.get(0).get("targetSize").asLong());
            assertEquals("delete", entries.get(1).get("action").asText());
            assertEquals("extra on the target (not in the source), kept: migration.remove=false", entries.get(2).get("reason").asText());
        }
    }
}
