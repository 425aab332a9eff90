package io.github.miniomigrator.cutover;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The `properties` layout: a node holding key=value lines; the plan's keys are set, every other line is kept as it was. */
public final class PropertiesNode {
    private PropertiesNode() {
    }

    static byte[] update(byte[] current, Map<String, String> values) {
        String text = new String(current, StandardCharsets.UTF_8);
        Map<String, String> remaining = new LinkedHashMap<>(values);
        List<String> lines = new ArrayList<>(text.isEmpty() ? List.of() : List.of(text.split("\n", -1)));
        boolean endsWithNewline = text.endsWith("\n");
        if (endsWithNewline) {
            lines.remove(lines.size() - 1);
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int eq = line.indexOf('=');
            String trimmed = line.strip();
            if (eq <= 0 || trimmed.startsWith("#") || trimmed.startsWith("!")) {
                continue;
            }
            String key = line.substring(0, eq).strip();
            if (remaining.containsKey(key)) {
                lines.set(i, key + "=" + remaining.remove(key));
            }
        }
        remaining.forEach((key, value) -> lines.add(key + "=" + value));
        return (String.join("\n", lines) + (endsWithNewline || text.isEmpty() ? "\n" : "")).getBytes(StandardCharsets.UTF_8);
    }

    /** One key's value in a properties node; null when the node or the key is absent. */
    public static String valueOf(byte[] node, String key) {
        if (node == null) {
            return null;
        }
        for (String line : new String(node, StandardCharsets.UTF_8).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && line.substring(0, eq).strip().equals(key)) {
                return line.substring(eq + 1);
            }
        }
        return null;
    }
}
