package io.github.miniomigrator.config;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What to say about a migration.* key this version does not have: the setting it is a near spelling of, but never one
 * that deletes or switches (remove, the delete limits, cutover, rollback, retire, fallback) unless the key is all but
 * that setting's own spelling — "Did you mean migration.remove?" for migration.dry-run would point at the opposite.
 */
final class KeySuggestion {
    private static final String PREFIX = "migration.";
    /** Settings that delete, lift a delete limit, or act on the switch: suggested only for a near-exact spelling. */
    private static final List<Setting> DESTRUCTIVE = List.of(Setting.REMOVE, Setting.MAX_DELETE, Setting.EVENTS_MAX_DELETES);
    private static final List<String> DESTRUCTIVE_FAMILIES = List.of("migration.cutover.", "migration.rollback.", "migration.retire.",
            "migration.fallback.");
    private static final int NEAR_EXACT = 2;

    private KeySuggestion() {
    }

    /** The one-line refusal of an unknown key. */
    static String refusal(String key) {
        String tail = key.startsWith(PREFIX) ? key.substring(PREFIX.length()) : key;
        if (tail.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "").endsWith("dryrun")) {
            return key + " is not a setting: no setting makes a pass a dry run. To see what a pass would do without writing, run "
                    + "copy --dry-run (a command-line flag, not a setting), or verify (compares, writes nothing).";
        }
        return closest(key).map(meant -> key + " is not a setting of this version. Did you mean " + meant
                        + "? README lists every migration.* setting.")
                .orElse(key + " is not a setting of this version; README (Configuration) lists every migration.* setting.");
    }

    /** The known key closest to this one, when it is really close: few edits for its length, fewer for a destructive one. */
    static Optional<String> closest(String key) {
        String nearest = Arrays.stream(Setting.values()).map(Setting::key).min(Comparator.comparingInt(k -> distance(k, key))).orElse("");
        int edits = distance(nearest, key);
        int length = key.startsWith(PREFIX) ? key.length() - PREFIX.length() : key.length();
        boolean close = edits <= Math.max(1, length / 4);
        boolean allowed = !destructive(nearest) || edits <= NEAR_EXACT;
        return close && allowed ? Optional.of(nearest) : Optional.empty();
    }

    private static boolean destructive(String key) {
        return DESTRUCTIVE.stream().anyMatch(s -> s.key().equals(key)) || DESTRUCTIVE_FAMILIES.stream().anyMatch(key::startsWith);
    }

    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
