package io.github.miniomigrator.cutover;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.miniomigrator.config.BucketMapping;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The fact that mappings were cut over: from then on the application writes to their targets, and nothing may write the
 * forward direction (source to target) for them. Kept in ZooKeeper, written in the switch's own transaction, and in
 * migration.state.dir of the process that cut over; `rollback` removes both.
 *
 * @param at when the switch applied (UTC, ISO-8601)
 * @param backup the cutover backup file that `rollback --backup` takes
 * @param plan the plan file that was applied
 * @param host the machine the cutover ran on (where the backup file is)
 * @param retired when MinIO was retired (the fallback window ended), or null
 */
public record CutoverRecord(String at, List<BucketMapping> mappings, String backup, String plan, String host, String retired) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public CutoverRecord retiredAt(String when) {
        return new CutoverRecord(at, mappings, backup, plan, host, when);
    }

    /** Whether a forward write for this mapping would write where the application now writes: same bucket, nested prefixes. */
    public boolean covers(BucketMapping mapping) {
        return mappings.stream().anyMatch(mapping::sharesTargetWith);
    }

    /** The one line a forward write's refusal says: what was switched, when, and what to run instead. */
    public String refusal(String what) {
        return io.github.miniomigrator.i18n.Messages.text("cli.cutover.record-refusal", what, at,
                String.join(", ", mappings.stream().map(BucketMapping::toString).toList()), host, backup);
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("a cutover record cannot be written as JSON", e);
        }
    }

    public static CutoverRecord fromJson(byte[] json, String where) {
        try {
            CutoverRecord record = JSON.readValue(json, CutoverRecord.class);
            if (record.mappings() == null || record.at() == null) {
                throw new IOException("it names no mapping or no time");
            }
            return record;
        } catch (IOException e) {
            // unreadable, it still says a switch happened: treated as one covering everything, never as none
            String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException parse ? parse.getOriginalMessage() : e.getMessage();
            throw new IllegalStateException("the cutover record " + where + " cannot be read (" + String.valueOf(why).replaceAll("\\s+", " ") + "): "
                    + new String(json, 0, Math.min(json.length, 200), StandardCharsets.UTF_8).replaceAll("\\s+", " ")
                    + ". Forward syncs are refused until it is mended or removed (README: After the switch).");
        }
    }
}
