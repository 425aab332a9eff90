package io.github.miniomigrator.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Who may press a control, decided before any control runs: the console's own page, from this origin — also when a
 * reverse proxy sends its own Host upstream and the browser's in X-Forwarded-Host. ("noop" is no control: a request
 * that passes every check is answered 404 by the control switch, one refused earlier 403.)
 */
class ConsoleControlsTest {
    private final ConsoleControls controls = new ConsoleControls(null, null, true, null, Map::of);

    private int status(String host, String... headers) {
        Map<String, String> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        all.put(ConsoleControls.HEADER, "1");
        all.put("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            all.put(headers[i], headers[i + 1]);
        }
        return controls.handle("noop", "{}", all::get, host, "198.51.100.7").status();
    }

    @Test
    void theSameOriginPassesAndAnotherIsRefused() {
        assertEquals(404, status("migrator.internal:8080", "Origin", "http://migrator.internal:8080"));
        assertEquals(403, status("migrator.internal:8080", "Origin", "https://evil.example"));
        assertEquals(403, status("migrator.internal:8080", "Origin", "http://migrator.internal:8080", "Sec-Fetch-Site", "cross-site"));
        assertEquals(403, status("migrator.internal:8080", "Origin", "null"));
    }

    @Test
    void behindAReverseProxyTheForwardedHostIsTheOrigin() {
        // nginx with proxy_pass http://127.0.0.1:8080 and proxy_set_header X-Forwarded-Host $host
        assertEquals(404, status("127.0.0.1:8080", "Origin", "https://migrate.example.com", "X-Forwarded-Host", "migrate.example.com"));
        assertEquals(404, status("127.0.0.1:8080", "Origin", "https://migrate.example.com", "X-Forwarded-Host", "migrate.example.com, edge.internal"));
        assertEquals(403, status("127.0.0.1:8080", "Origin", "https://evil.example", "X-Forwarded-Host", "migrate.example.com"));
        assertEquals(403, status("127.0.0.1:8080", "Origin", "https://migrate.example.com"), "without the header: another origin");
    }
}
