package io.github.miniomigrator.cutover;

import io.github.miniomigrator.config.Setting;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.config.SettingsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runbook's ZooKeeper switch as a file, in its own line format: {@code /api-archive/pri=storeType=4}. Values may be
 * placeholders ({@code {{env:OSS_SECRET_KEY}}}, {@code {{migration.target.secret-key}}}) so secrets need not sit in files.
 */
public record CutoverPlan(List<Entry> entries) {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^}]+)}}");
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(secret|password|passwd|token|credential).*");

    /** One value to write: the node (path), the key, the resolved value, and whether to mask it in anything shown. */
    public record Entry(String path, String key, String value, boolean secret, int line) {
        public String shown() {
            return secret ? "****" : value;
        }
    }

    public static CutoverPlan read(Path file, Settings settings, Map<String, String> environment) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SettingsException(Setting.CUTOVER_PLAN.key() + "=" + file + " cannot be read: " + e.getMessage());
        }
        return parse(lines, file.toString(), settings, environment);
    }

    static CutoverPlan parse(List<String> lines, String name, Settings settings, Map<String, String> environment) {
        List<Entry> entries = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            int number = i + 1;
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int first = line.indexOf('=');
            int second = first < 0 ? -1 : line.indexOf('=', first + 1);
            if (first <= 0 || second < 0) {
                throw new SettingsException(name + " line " + number + ": '" + line
                        + "' is not znodePath=KEY=VALUE (e.g. /api-archive/pri=storeType=4).");
            }
            String path = line.substring(0, first).strip();
            String key = line.substring(first + 1, second).strip();
            String raw = line.substring(second + 1).strip();
            if (!path.startsWith("/") || path.endsWith("/") || path.contains("//") || key.isEmpty() || key.contains("/")) {
                throw new SettingsException(name + " line " + number + ": '" + path + "=" + key
                        + "' needs an absolute znode path (no trailing /) and a key without '/'.");
            }
            if (!seen.add(path + "\n" + key)) {
                throw new SettingsException(name + " line " + number + ": " + path + " " + key + " is set twice.");
            }
            boolean secret = SECRET_NAME.matcher(key).matches();
            StringBuilder value = new StringBuilder();
            Matcher m = PLACEHOLDER.matcher(raw);
            int last = 0;
            while (m.find()) {
                value.append(raw, last, m.start());
                String reference = m.group(1).strip();
                Resolved resolved = resolve(reference, settings, environment, name, number);
                value.append(resolved.value());
                secret |= resolved.secret();
                last = m.end();
            }
            value.append(raw.substring(last));
            entries.add(new Entry(path, key, value.toString(), secret, number));
        }
        if (entries.isEmpty()) {
            throw new SettingsException(name + " holds no line to write; write znodePath=KEY=VALUE lines.");
        }
        return new CutoverPlan(List.copyOf(entries));
    }

    private record Resolved(String value, boolean secret) {
    }

    private static Resolved resolve(String reference, Settings settings, Map<String, String> environment, String name, int number) {
        if (reference.startsWith("env:")) {
            String variable = reference.substring(4);
            String value = environment.get(variable);
            if (value == null) {
                throw new SettingsException(name + " line " + number + ": {{env:" + variable + "}} is not set in the environment.");
            }
            return new Resolved(value, true); // environment placeholders exist to carry secrets
        }
        Setting setting = Setting.byKey(reference).orElseThrow(() -> new SettingsException(name + " line " + number + ": {{" + reference
                + "}} is neither {{env:NAME}} nor a migration.* setting."));
        String value = settings.get(setting);
        if (value.isEmpty()) {
            throw new SettingsException(name + " line " + number + ": {{" + reference + "}} is empty; set " + setting.key() + ".");
        }
        return new Resolved(value, setting.secret());
    }

    /** Every secret value in the plan, for masking logs and output. */
    public List<String> secretValues() {
        return entries.stream().filter(Entry::secret).map(Entry::value).toList();
    }

    /** The nodes the plan touches, in order. */
    public List<String> paths() {
        return entries.stream().map(Entry::path).distinct().toList();
    }

    public static String layoutName(String value) {
        String layout = value.strip().toLowerCase(Locale.ROOT);
        if (!layout.equals("node-per-key") && !layout.equals("properties")) {
            throw new SettingsException(Setting.CUTOVER_LAYOUT.key() + "=" + value + " is not a layout: use node-per-key or properties.");
        }
        return layout;
    }
}
