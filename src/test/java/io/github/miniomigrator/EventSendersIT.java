package io.github.miniomigrator;

import static io.github.miniomigrator.support.TestStores.contents;
import static io.github.miniomigrator.support.TestStores.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.support.CapturedLog;
import io.github.miniomigrator.support.Jmx;
import io.github.miniomigrator.support.MinioEvents;
import io.github.miniomigrator.support.S3EventRecords;
import io.github.miniomigrator.support.TestStores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * `run`'s webhook fed by each sender of S3 event records in its own form, over HTTP: MinIO's webhook (query-escaped
 * keys, its bearer token), Ceph RGW's HTTP push (raw keys, no token: the secret in the path) and AWS S3 records
 * (form-encoded keys). Keys whose bytes change meaning under a wrong rule converge to exactly themselves; a delivery
 * with a wrong secret or a key that cannot be decoded is refused, counted, and applies nothing.
 */
@Tag("store")
class EventSendersIT {
    static final String TOKEN = "webhook-token-0123456789abcdef";
    static final String PATH_SECRET = "path-secret-0123456789abcdef";
    static final List<String> AWKWARD = List.of("plus+sign.txt", "100%.txt", "a%20b.txt", "space key.txt", "中文.txt",
            "目录/发票 +1 (copy).txt");

    final HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> post(int port, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void eachSendersKeysConvergeToThemselvesAndRefusedDeliveriesApplyNothing() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            int port = EventsIT.freePort();
            List<String> args = stores.arguments("src:dst", "migration.events.mode=webhook", "migration.http.port=" + port,
                    "migration.remove=true");
            Map<String, String> environment = Map.of("MIGRATION_EVENTS_WEBHOOK_TOKEN", TOKEN,
                    "MIGRATION_EVENTS_WEBHOOK_PATH_SECRET", PATH_SECRET);
            String output;
            String logged;
            try (CapturedLog log = new CapturedLog(List.of("org.apache.camel.component.platform.http", "io.vertx",
                    "io.github.miniomigrator.events"));
                    EventsIT.Running run = new EventsIT.Running(stores, args, environment)) {
                // one sender per prefix, each in its own form, to its own door
                Map<String, BiFunction<String, String, Integer>> senders = new java.util.LinkedHashMap<>();
                senders.put("minio/", (event, key) -> status(() -> MinioEvents.post(port, TOKEN,
                        MinioEvents.webhook("s3:" + event, "src", key))));
                senders.put("rgw/", (event, key) -> status(() -> post(port, "/minio/events/" + PATH_SECRET,
                        S3EventRecords.rgw(event, "src", key))));
                senders.put("aws/", (event, key) -> status(() -> post(port, "/minio/events/" + PATH_SECRET,
                        S3EventRecords.aws(event, "src", key))));
                for (var sender : senders.entrySet()) {
                    for (String key : AWKWARD) {
                        String full = sender.getKey() + key;
                        put(stores.sourceClient, "src", full, ("first " + full).getBytes());
                        assertEquals(200, sender.getValue().apply("ObjectCreated:Put", full), full);
                    }
                }
                run.awaitDrained();
                assertEquals(contents(stores.sourceClient, "src", ""), contents(stores.targetClient, "dst", ""));
                // overwrites and deletes, announced the same way
                for (var sender : senders.entrySet()) {
                    for (int i = 0; i < AWKWARD.size(); i++) {
                        String full = sender.getKey() + AWKWARD.get(i);
                        if (i % 2 == 0) {
                            put(stores.sourceClient, "src", full, ("second, longer " + full).getBytes());
                            assertEquals(200, sender.getValue().apply("ObjectCreated:Put", full), full);
                        } else {
                            stores.sourceClient.deleteObject(b -> b.bucket("src").key(full));
                            assertEquals(200, sender.getValue().apply("ObjectRemoved:Delete", full), full);
                        }
                    }
                }
                run.awaitDrained();
                assertEquals(contents(stores.sourceClient, "src", ""), contents(stores.targetClient, "dst", ""));
                assertEquals(9, TestStores.keys(stores.targetClient, "dst").size());
                long applied = run.command.status().getEventsApplied();

                // refused: wrong or missing secrets (401), and keys that cannot be decoded unambiguously (400)
                put(stores.sourceClient, "src", "refused/space key.txt", "x".getBytes());
                String rgwEvent = S3EventRecords.rgw("ObjectCreated:Put", "src", "refused/space key.txt");
                assertEquals(401, post(port, "/minio/events", rgwEvent).statusCode(), "no token, no path secret");
                assertEquals(401, post(port, "/minio/events/" + PATH_SECRET + "x", rgwEvent).statusCode());
                assertEquals(401, post(port, "/minio/events/" + PATH_SECRET.substring(1), rgwEvent).statusCode());
                assertEquals(401, post(port, "/minio/events/" + TOKEN, rgwEvent).statusCode(), "MinIO's token is no path secret");
                assertEquals(401, post(port, "/minio/events/" + PATH_SECRET + "/more", rgwEvent).statusCode());
                assertEquals(401, MinioEvents.post(port, PATH_SECRET, rgwEvent).statusCode(), "the path secret is no bearer token");
                String unescapedMinio = MinioEvents.listenLine("s3:ObjectCreated:Put", "src", "refused/space key.txt");
                HttpResponse<String> bad = MinioEvents.post(port, TOKEN, unescapedMinio);
                assertEquals(400, bad.statusCode(), bad.body());
                assertTrue(bad.body().contains("cannot be decoded unambiguously"), bad.body());
                String unknown = rgwEvent.replace("ceph:s3", "someone:s3");
                assertEquals(400, post(port, "/minio/events/" + PATH_SECRET, unknown).statusCode());
                assertEquals(8, run.command.status().getDeliveriesRefused(), run.command.status().line());
                assertEquals(2, run.command.status().getEventsMalformed());
                assertTrue(run.command.status().line().contains("refused 8"), run.command.status().line());
                String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertTrue(metrics.contains("migration_events_refused_total 8.0"), metrics);
                run.awaitDrained();
                assertEquals(applied, run.command.status().getEventsApplied(), "a refused delivery applies nothing");
                assertFalse(TestStores.keys(stores.targetClient, "dst").contains("refused/space key.txt"));
                Jmx.assertNoAttributeShows(List.of(TOKEN, PATH_SECRET));
                io.github.miniomigrator.logging.FailureBursts.flushEnded();
                output = run.output();
                logged = log.text();
            }
            for (String text : List.of(output, logged)) {
                assertFalse(text.contains(PATH_SECRET), text);
                assertFalse(text.contains(TOKEN), text);
            }
            assertTrue(logged.contains("refused (401)"), logged);
            assertTrue(logged.contains("refused (400)"), logged);
        }
    }

    interface Call {
        HttpResponse<String> call() throws Exception;
    }

    static int status(Call call) {
        try {
            return call.call().statusCode();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
