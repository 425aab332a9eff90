package io.github.miniomigrator;

import static io.github.miniomigrator.support.TestStores.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.support.MinioEvents;
import io.github.miniomigrator.support.TestStores;
import io.github.miniomigrator.support.Wait;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** /observe/health and /observe/metrics of a running `run`: the values move as objects are copied, and show no secret. */
@Tag("store")
class ObserveIT {
    final HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static double metric(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*})? ([0-9.eE+-]+)$").matcher(text);
        assertTrue(m.find(), name + " in\n" + text);
        return Double.parseDouble(m.group(2));
    }

    @Test
    void healthAndMetricsFollowTheSync() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            for (int i = 0; i < 12; i++) {
                put(stores.sourceClient, "src", "k" + i, ("v" + i).getBytes());
            }
            int port = EventsIT.freePort();
            String token = "webhook-token-0123456789abcdef";
            List<String> args = stores.arguments("src:dst", "migration.events.mode=webhook", "migration.http.port=" + port,
                    "migration.events.webhook.token=" + token);
            try (EventsIT.Running run = new EventsIT.Running(stores, args)) {
                HttpResponse<String> health = get(port, "/observe/health?data=true");
                assertEquals(200, health.statusCode(), health.body());
                assertTrue(health.body().contains("migration-source") && health.body().contains("migration-target")
                        && health.body().contains("migration-events"), health.body());
                String metrics = get(port, "/observe/metrics").body();
                assertEquals(12, metric(metrics, "migration_objects_copied_total"), 0.0);

                put(stores.sourceClient, "src", "new", "new".getBytes());
                assertEquals(200, new EventsIT().post(port, token, MinioEvents.webhook("s3:ObjectCreated:Put", "src", "new")).statusCode());
                Wait.until("the metric counts the event's copy", Duration.ofSeconds(30), () -> {
                    try {
                        String now = get(port, "/observe/metrics").body();
                        return metric(now, "migration_objects_copied_total") == 13 && metric(now, "migration_events_applied_total") == 1;
                    } catch (Exception e) {
                        return false;
                    }
                });
                String all = get(port, "/observe/metrics").body() + get(port, "/observe/health?data=true").body();
                assertFalse(all.contains(TestStores.SOURCE_SECRET) || all.contains(TestStores.TARGET_SECRET) || all.contains(token));
            }
            // the source gone: health says so, with the reason
        }
    }
}
