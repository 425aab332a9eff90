package io.github.miniomigrator.config;

import io.github.miniomigrator.i18n.Messages;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which keys of a mapping the migration covers (migration.include, migration.exclude): a key is in scope when it
 * matches at least one include pattern (or none is set) and no exclude pattern. Keys are relative to the mapping: the
 * source key, which is the target key without the mapping's prefix. Built once; each pattern is one precompiled regex,
 * so a key costs a match per pattern and nothing else.
 * <p>
 * Every path that decides a key asks this one filter: the listings a pass, a dry run, verify and the settling join
 * merge-join (so an out-of-scope key is neither copied, nor deleted, nor reported), the intake of events (an event for
 * such a key is ignored), and the listings assess counts and the smoke test samples.
 * <p>
 * The patterns follow rclone's glob syntax where it fits ({@link #compile}).
 */
public final class KeyFilter {
    /** Every key in scope: no include, no exclude. */
    public static final KeyFilter ALL = new KeyFilter(List.of(), List.of());

    private final List<Pattern> includes;
    private final List<Pattern> excludes;

    private KeyFilter(List<Pattern> includes, List<Pattern> excludes) {
        this.includes = includes;
        this.excludes = excludes;
    }

    /**
     * The filter of migration.include and migration.exclude.
     *
     * @throws SettingsException naming the setting and the pattern when a pattern is not a glob (an unclosed '[' or '{')
     */
    public static KeyFilter of(Settings settings) {
        return of(settings.get(Setting.INCLUDE), settings.get(Setting.EXCLUDE));
    }

    /** The filter of these two settings' values (comma-separated glob patterns). */
    public static KeyFilter of(String include, String exclude) {
        return new KeyFilter(compileAll(Setting.INCLUDE, include), compileAll(Setting.EXCLUDE, exclude));
    }

    /** Whether the key (relative to the mapping) is migrated, compared and synced. */
    public boolean inScope(String key) {
        return (includes.isEmpty() || matchesAny(includes, key)) && !matchesAny(excludes, key);
    }

    private static boolean matchesAny(List<Pattern> patterns, String key) {
        for (Pattern pattern : patterns) {
            if (pattern.matcher(key).matches()) {
                return true;
            }
        }
        return false;
    }

    private static List<Pattern> compileAll(Setting setting, String value) {
        List<Pattern> patterns = new ArrayList<>();
        for (String glob : split(value)) {
            try {
                patterns.add(compile(glob));
            } catch (IllegalArgumentException e) {
                throw new SettingsException(Messages.text("cli.filter.bad-pattern", setting.key(), glob, e.getMessage()));
            }
        }
        return List.copyOf(patterns);
    }

    /**
     * The patterns of a setting's value: split at the commas outside braces (a '{a,b}' stays one pattern), each trimmed,
     * empty ones left out; a backslash keeps the next character (a comma or space included) as it is.
     */
    static List<String> split(String value) {
        List<String> globs = new ArrayList<>();
        StringBuilder glob = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                glob.append(c).append(value.charAt(++i));
                continue;
            }
            if (c == ',' && depth == 0) {
                add(globs, glob);
                continue;
            }
            if (c == '{') {
                depth++;
            } else if (c == '}' && depth > 0) {
                depth--;
            }
            glob.append(c);
        }
        add(globs, glob);
        return globs;
    }

    private static void add(List<String> globs, StringBuilder glob) {
        String trimmed = glob.toString().strip();
        if (!trimmed.isEmpty()) {
            globs.add(trimmed);
        }
        glob.setLength(0);
    }

    /**
     * One glob as one regex over the whole key:
     * <ul>
     * <li>{@code *} any run of characters without '/'; {@code **} any run, '/' included; {@code ?} one character but '/';</li>
     * <li>{@code [abc]}, {@code [a-z]} one character of the class, {@code [!a-z]} or {@code [^a-z]} one not in it (never '/');</li>
     * <li>{@code {a,b}} either alternative (each may hold the wildcards above; not nested);</li>
     * <li>{@code \x} the character x itself; every other character stands for itself;</li>
     * <li>a leading '/' anchors the pattern at the mapping's root ({@code /logs/*.gz} matches logs/a.gz only); without it
     * the pattern matches the key's last path elements at any depth ({@code *.tmp} matches a.tmp and x/y/a.tmp,
     * {@code cache/*} matches cache/a and x/cache/a, never xcache/a);</li>
     * <li>a trailing '/' matches a directory and every key below it ({@code /cache/} as {@code /cache/**}).</li>
     * </ul>
     *
     * @throws IllegalArgumentException with what is wrong, for an unclosed '[' or '{', a nested '{' or a stray '}'
     */
    static Pattern compile(String glob) {
        StringBuilder regex = new StringBuilder();
        String body = glob;
        if (body.startsWith("/")) {
            body = body.substring(1);
        } else {
            regex.append("(?:.*/)?");
        }
        boolean directory = body.endsWith("/") && !body.endsWith("\\/");
        boolean inBraces = false;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            switch (c) {
                case '\\' -> {
                    if (i + 1 < body.length()) {
                        i++;
                        appendLiteral(regex, body.charAt(i));
                    } else {
                        appendLiteral(regex, c);
                    }
                }
                case '*' -> {
                    if (i + 1 < body.length() && body.charAt(i + 1) == '*') {
                        regex.append(".*");
                        i++;
                    } else {
                        regex.append("[^/]*");
                    }
                }
                case '?' -> regex.append("[^/]");
                case '[' -> i = appendClass(regex, body, i);
                case '{' -> {
                    if (inBraces) {
                        throw new IllegalArgumentException(Messages.text("cli.filter.nested-brace"));
                    }
                    inBraces = true;
                    regex.append("(?:");
                }
                case ',' -> regex.append(inBraces ? "|" : ",");
                case '}' -> {
                    if (!inBraces) {
                        throw new IllegalArgumentException(Messages.text("cli.filter.stray-brace"));
                    }
                    inBraces = false;
                    regex.append(')');
                }
                default -> appendLiteral(regex, c);
            }
        }
        if (inBraces) {
            throw new IllegalArgumentException(Messages.text("cli.filter.unclosed-brace"));
        }
        if (directory) {
            regex.append(".*");
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    /** A character class from the '[' at {@code start}; returns the index of its ']'. */
    private static int appendClass(StringBuilder regex, String body, int start) {
        int i = start + 1;
        StringBuilder members = new StringBuilder();
        boolean negated = i < body.length() && (body.charAt(i) == '!' || body.charAt(i) == '^');
        if (negated) {
            i++;
        }
        int first = i;
        for (; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == ']' && i > first) {
                regex.append(negated ? "[^/" : "[").append(members).append(']');
                return i;
            }
            if (c == '\\' && i + 1 < body.length()) {
                c = body.charAt(++i);
                members.append('\\').append(c);
            } else if (c == '-' && i > first && i + 1 < body.length() && body.charAt(i + 1) != ']') {
                members.append('-');
            } else {
                members.append(special(c) ? "\\" : "").append(c);
            }
        }
        throw new IllegalArgumentException(Messages.text("cli.filter.unclosed-bracket"));
    }

    /** An ASCII character a regex may read as syntax: escaped (a backslash before any other would be an error). */
    private static boolean special(char c) {
        return c < 128 && !Character.isLetterOrDigit(c) && c != ' ' && c != '/';
    }

    private static void appendLiteral(StringBuilder regex, char c) {
        regex.append(special(c) ? "\\" : "").append(c);
    }
}
