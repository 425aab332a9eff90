package io.github.miniomigrator.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One line of migration.buckets: a source bucket, the target bucket (same name when omitted) and an optional
 * target prefix ("folder/") under which the source keys land.
 */
public record BucketMapping(String sourceBucket, String targetBucket, String targetPrefix) {

    /** Characters a Chinese input method types in place of the ASCII separators, with what to type instead. */
    private static final Map<Character, String> WIDE_SEPARATORS = Map.of(
            '\uFF0C', "a full-width comma: use the ASCII ',' between mappings",
            '\u3001', "an ideographic comma: use the ASCII ',' between mappings",
            '\uFF1A', "a full-width colon: use the ASCII ':' between source and target",
            '\uFF0F', "a full-width slash: use the ASCII '/' before a prefix",
            '\u3000', "an ideographic space: delete it, or use the ASCII ',' between mappings");

    public static List<BucketMapping> parseAll(String value) {
        for (int i = 0; i < value.length(); i++) {
            String what = WIDE_SEPARATORS.get(value.charAt(i));
            if (what != null) {
                throw new SettingsException(Setting.BUCKETS.key() + ": character " + (i + 1) + " is '" + value.charAt(i) + "' (U+"
                        + String.format("%04X", (int) value.charAt(i)) + ", " + what + "), after '" + value.substring(0, i).trim()
                        + "'. Write it as archive-temp:oss-temp,archive-pro:oss-pro/2024 (ASCII ',' ':' '/', no spaces needed).");
            }
        }
        List<BucketMapping> mappings = new ArrayList<>();
        Set<String> targets = new HashSet<>();
        for (String part : value.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            BucketMapping mapping = parse(part.trim());
            String target = mapping.targetBucket + "/" + mapping.targetPrefix;
            for (String other : targets) {
                if (other.startsWith(target) || target.startsWith(other)) {
                    throw new SettingsException(Setting.BUCKETS.key() + ": two mappings write to the same place " + mapping.describeTarget()
                            + "; with migration.remove=true each would delete the other's objects. Give each its own bucket or prefix.");
                }
            }
            targets.add(target);
            mappings.add(mapping);
        }
        if (mappings.isEmpty()) {
            throw new SettingsException(Setting.BUCKETS.key() + " names no bucket: write source[:target[/prefix]], e.g. archive-temp:oss-temp.");
        }
        return mappings;
    }

    static BucketMapping parse(String text) {
        String[] sides = text.split(":", -1);
        if (sides.length > 2 || sides[0].isBlank() || (sides.length == 2 && sides[1].isBlank())) {
            throw new SettingsException(Setting.BUCKETS.key() + ": '" + text
                    + "' is not a mapping; write source[:target[/prefix]], e.g. archive-temp:oss-temp or archive-pro:oss-pro/2024.");
        }
        String source = sides[0].trim();
        if (source.contains("/")) {
            throw new SettingsException(Setting.BUCKETS.key() + ": '" + text
                    + "' has a '/' in the source bucket; a prefix belongs on the target side (source:target/prefix).");
        }
        String targetSide = sides.length == 2 ? sides[1].trim() : source;
        int slash = targetSide.indexOf('/');
        String target = slash < 0 ? targetSide : targetSide.substring(0, slash);
        String prefix = slash < 0 ? "" : targetSide.substring(slash + 1);
        while (prefix.startsWith("/")) {
            prefix = prefix.substring(1);
        }
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix = prefix + "/";
        }
        if (target.isEmpty()) {
            throw new SettingsException(Setting.BUCKETS.key() + ": '" + text + "' has no target bucket before the '/'.");
        }
        return new BucketMapping(source, target, prefix);
    }

    /** Whether the two write to the same place: the same target bucket, one prefix inside the other. */
    public boolean sharesTargetWith(BucketMapping other) {
        return targetBucket.equals(other.targetBucket) && (targetPrefix.startsWith(other.targetPrefix) || other.targetPrefix.startsWith(targetPrefix));
    }

    public String targetKey(String sourceKey) {
        return targetPrefix + sourceKey;
    }

    public String describeTarget() {
        return targetBucket + (targetPrefix.isEmpty() ? "" : "/" + targetPrefix);
    }

    @Override
    public String toString() {
        return sourceBucket + " -> " + describeTarget();
    }
}
