package io.github.miniomigrator.config;

import java.util.regex.Pattern;

/** One {@code host:port} entry of a server list (Kafka's bootstrap servers, a ZooKeeper connect string); IPv6 in brackets. */
public final class HostPort {
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[^\\s:,/\\[\\]]+):\\d{1,5}");

    private HostPort() {
    }

    public static boolean matches(String entry) {
        return HOST_PORT.matcher(entry.trim()).matches();
    }
}
