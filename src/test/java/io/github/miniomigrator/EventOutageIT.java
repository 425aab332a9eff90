package io.github.miniomigrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.logging.FailureBursts;
import io.github.miniomigrator.support.CapturedLog;
import io.github.miniomigrator.support.CuttableRelay;
import io.github.miniomigrator.support.MinioEvents;
import io.github.miniomigrator.support.TestStores;
import io.github.miniomigrator.support.Wait;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A week-long `run` on a bad day (issue 19): the target is cut off while an application writes, rewrites and deletes
 * (webhook events, through the real receiver). During the outage the run is not drained, keys are owed, the lag grows
 * and the log stays short; once the target is back every owed key converges by itself — drained only when `verify`
 * agrees — and the numbers on the status line, in the metrics and in the event failure file agree with each other.
 */
@Tag("store")
@Tag("slow")
class EventOutageIT {
    static final Duration WAIT = Duration.ofSeconds(90);
    static final String TOKEN = "webhook-token-outage-0123456789";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void keysThatFailDuringATargetOutageStayOwedUntilTheyConverge() throws Exception {
        try (TestStores stores = new TestStores(false);
                CuttableRelay target = new CuttableRelay(RemoveIT.portOf(stores.target.endpoint()))) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            for (int i = 0; i < 20; i++) {
                TestStores.put(stores.sourceClient, "src", "before/" + i + ".txt", ("before " + i).getBytes(StandardCharsets.UTF_8));
            }
            int port = io.github.miniomigrator.demo.FreePort.next();
            List<String> args = stores.arguments("src:dst", "migration.events.mode=webhook", "migration.http.port=" + port,
                    "migration.events.webhook.token=" + TOKEN, "migration.remove=true", "migration.retries=1", "migration.timeout=3s",
                    "migration.target.endpoint=http://" + target.connectString());
            try (EventsIT.Running run = new EventsIT.Running(stores, args)) {
                run.awaitDrained();
                assertTrue(stores.converged("src", "dst"));
                String outageLog;
                try (CapturedLog log = new CapturedLog(List.of())) {
                    target.cut();
                    // the application goes on: 30 new keys, 10 rewritten, 10 deleted, each announced by MinIO's webhook
                    for (int i = 0; i < 30; i++) {
                        write(stores, port, "during/" + i + ".txt", "written during the outage " + i);
                    }
                    for (int i = 0; i < 10; i++) {
                        write(stores, port, "before/" + i + ".txt", "rewritten during the outage " + i);
                    }
                    for (int i = 10; i < 20; i++) {
                        String key = "before/" + i + ".txt";
                        stores.sourceClient.deleteObject(b -> b.bucket("src").key(key));
                    }
                    for (int i = 10; i < 20; i++) {
                        assertEquals(200, MinioEvents.post(port, TOKEN, MinioEvents.webhook("s3:ObjectRemoved:Delete", "src", "before/" + i + ".txt"))
                                .statusCode());
                    }
                    Wait.until("every changed key failed once and is owed (" + run.command.status().line() + ")", WAIT,
                            () -> run.command.status().getKeysOwed() == 50);
                    assertFalse(run.command.status().isDrained());
                    String why = run.command.status().notDrainedBecause(null);
                    assertTrue(why.startsWith("50 key(s) owed after failed syncs ("), why);
                    double lag = run.command.status().getLagSeconds();
                    assertTrue(lag > 0, "the lag sees the outage: " + lag);
                    Wait.until("the lag grows through the outage", WAIT, () -> run.command.status().getLagSeconds() > lag + 1);
                    String metrics = get(port, "/observe/metrics");
                    assertTrue(ObserveIT.metric(metrics, "migration_events_lag_seconds") > 0, metrics);
                    double owed = ObserveIT.metric(metrics, "migration_events_owed"); // some may be on their next try now
                    assertTrue(owed > 0 && owed <= 50, metrics);
                    assertEquals(0.0, ObserveIT.metric(metrics, "migration_events_drained"), 0.0);
                    Wait.until("a few keys were tried again", WAIT, () -> run.command.status().getSyncRetries() >= 50);
                    FailureBursts.flushEnded();
                    outageLog = log.text();
                    target.heal();
                    run.awaitDrained();
                }
                long outageLines = outageLog.lines().count();
                assertTrue(outageLines < 100, outageLines + " log lines for the outage:\n" + outageLog);
                assertFalse(outageLog.contains("Message History"), outageLog);
                assertFalse(outageLog.contains("\tat "), "no stack trace:\n" + outageLog);

                // drained means converged: verify agrees, byte for byte
                assertTrue(stores.converged("src", "dst"));
                TestStores.Run verify = stores.run("verify", stores.arguments("src:dst", "migration.target.endpoint=http://" + target.connectString()));
                assertEquals(0, verify.exitCode(), verify.all());

                // one set of numbers: the status line, the metrics and the failure file agree
                var status = run.command.status();
                String metrics = get(port, "/observe/metrics");
                assertEquals(status.getSyncFailures(), (long) ObserveIT.metric(metrics, "migration_events_failed_total"));
                assertEquals(status.getSyncFailures(), (long) ObserveIT.metric(metrics, "migration_objects_failed_total"),
                        "every failed sync is a failed object, once");
                assertEquals(status.getSyncRetries(), (long) ObserveIT.metric(metrics, "migration_events_retried_total"));
                assertEquals(10, status.getEventDeletes());
                assertEquals(10.0, ObserveIT.metric(metrics, "migration_events_deleted_total"), 0.0);
                // the catch-up pass after the outage may delete some of them first: counted there too, and in the total
                assertTrue(ObserveIT.metric(metrics, "migration_objects_deleted_total") >= 10, metrics);
                assertEquals(0.0, ObserveIT.metric(metrics, "migration_events_owed"), 0.0);
                assertEquals(8.0, ObserveIT.metric(metrics, "migration_transfers_limit"), 0.0, "migration.concurrency=8, shared");
                assertTrue(ObserveIT.metric(metrics, "migration_transfers_in_flight") <= 8, metrics);
                assertEquals(0.0, ObserveIT.metric(metrics, "migration_events_lag_seconds"), 0.0);
                assertTrue(status.getSyncFailures() >= 50, "each key failed at least once: " + status.line());
                assertEquals(status.getSyncFailures(), status.getSyncRetries(), "no event came after the outage: every failure was "
                        + "followed by one try, the last of each key converged: " + status.line());
                assertTrue(status.line().contains("failed " + status.getSyncFailures() + ", retried " + status.getSyncRetries()), status.line());
                Path failures = stores.work().resolve("reports").resolve("event-failures.log");
                List<String> lines = Files.readAllLines(failures);
                assertEquals(50, lines.stream().filter(line -> line.contains(" FAILED src/")).count(), String.join("\n", lines));
                assertEquals(50, lines.stream().filter(line -> line.contains(" CONVERGED src/")).count(), String.join("\n", lines));
            }
        }
    }

    /**
     * A mistaken `mc rm -r` on MinIO: 500 deletes in a burst. Past migration.events.max-deletes the brake holds every later
     * delete (a catch-up pass deletes nothing either), until an operator releases it over JMX; then every one is applied.
     */
    @Test
    void aBurstOfDeletesIsHeldUntilReleasedOverJmx() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            java.util.Map<String, byte[]> objects = new java.util.TreeMap<>();
            for (int i = 0; i < 500; i++) {
                objects.put("tmp/" + i + ".txt", ("object " + i).getBytes(StandardCharsets.UTF_8));
            }
            TestStores.putAll(stores.sourceClient, "src", objects);
            int port = io.github.miniomigrator.demo.FreePort.next();
            List<String> args = stores.arguments("src:dst", "migration.events.mode=webhook", "migration.http.port=" + port,
                    "migration.events.webhook.token=" + TOKEN, "migration.remove=true", "migration.events.max-deletes=100",
                    "migration.reconcile.interval=1s");
            try (EventsIT.Running run = new EventsIT.Running(stores, args)) {
                run.awaitDrained();
                assertEquals(500, TestStores.keys(stores.targetClient, "dst").size());
                for (String key : objects.keySet()) {
                    stores.sourceClient.deleteObject(b -> b.bucket("src").key(key));
                    assertEquals(200, MinioEvents.post(port, TOKEN, MinioEvents.webhook("s3:ObjectRemoved:Delete", "src", key)).statusCode());
                }
                var status = run.command.status();
                Wait.until("100 deletes applied, the other 400 held (" + status.line() + ")", WAIT, () -> status.getDeletesHeld() == 400);
                assertTrue(status.isDeleteBrakeEngaged());
                assertEquals(100, status.getEventDeletes());
                long passes = status.getCatchUpPasses();
                Wait.until("a catch-up pass ran while the brake held", WAIT, () -> status.getCatchUpPasses() > passes + 1);
                assertEquals(400, TestStores.keys(stores.targetClient, "dst").size(), "neither events nor passes deleted past the brake");
                assertFalse(status.isDrained());
                assertTrue(status.notDrainedBecause(null).startsWith("400 delete(s) held by the delete brake"), status.notDrainedBecause(null));
                String metrics = get(port, "/observe/metrics");
                assertEquals(1.0, ObserveIT.metric(metrics, "migration_events_delete_brake"), 0.0);
                assertEquals(400.0, ObserveIT.metric(metrics, "migration_events_deletes_held"), 0.0);

                Object answer = java.lang.management.ManagementFactory.getPlatformMBeanServer().invoke(
                        new javax.management.ObjectName("minio-migrator:type=SyncStatus"), "releaseDeletes", new Object[0], new String[0]);
                assertEquals("400 held delete(s) released", answer);
                run.awaitDrained();
                assertEquals(List.of(), TestStores.keys(stores.targetClient, "dst"));
                assertEquals(500, status.getEventDeletes());
                assertFalse(status.isDeleteBrakeEngaged());
            }
        }
    }

    static void write(TestStores stores, int port, String key, String body) throws Exception {
        TestStores.put(stores.sourceClient, "src", key, body.getBytes(StandardCharsets.UTF_8));
        assertEquals(200, MinioEvents.post(port, TOKEN, MinioEvents.webhook("s3:ObjectCreated:Put", "src", key)).statusCode());
    }

    static String get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
