package io.github.miniomigrator;

import io.github.miniomigrator.command.RunCommand;
import static io.github.miniomigrator.support.TestStores.contents;
import static io.github.miniomigrator.support.TestStores.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.config.SettingsLoader;
import io.github.miniomigrator.support.FaultyProxy;
import io.github.miniomigrator.support.Jmx;
import io.github.miniomigrator.support.MinioEvents;
import io.github.miniomigrator.support.TestStores;
import io.github.miniomigrator.support.Wait;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** `run` against real S3 servers, with MinIO's documented event format fed through the real transports. */
@Tag("store")
@Tag("slow")
class EventsIT {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String TOKEN = "webhook-token-0123456789abcdef";

    /** A `run` in this JVM, stopped at the end of the test. */
    static final class Running implements AutoCloseable {
        final RunCommand command;
        final Future<Integer> result;
        final ExecutorService thread = Executors.newSingleThreadExecutor();
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Running(TestStores stores, List<String> arguments) throws Exception {
            this(stores, arguments, Map.of());
        }

        /** With more environment variables beside the two secrets. */
        Running(TestStores stores, List<String> arguments, Map<String, String> moreEnvironment) throws Exception {
            this(stores, arguments, moreEnvironment, true);
        }

        /** A `run` started, not waited for: its full pass may still be under way. */
        static Running starting(TestStores stores, List<String> arguments) throws Exception {
            return new Running(stores, arguments, Map.of(), false);
        }

        private Running(TestStores stores, List<String> arguments, Map<String, String> moreEnvironment, boolean awaitFullPass)
                throws Exception {
            Path config = stores.work().resolve("empty.properties");
            Files.writeString(config, "");
            List<String> args = new ArrayList<>(arguments);
            args.add("migration.cutover.quiet-period=1s");
            Map<String, String> environment = new java.util.HashMap<>(stores.environment());
            environment.putAll(moreEnvironment);
            Settings settings = SettingsLoader.load(config, environment, args);
            command = new RunCommand(settings, new PrintStream(out, true, StandardCharsets.UTF_8));
            result = thread.submit(command::execute);
            if (awaitFullPass) {
                awaitFullPass();
            }
        }

        void awaitFullPass() {
            Wait.until("the full pass is done", WAIT, () -> {
                if (result.isDone()) {
                    throw new AssertionError("run ended early (" + ending(result) + "): " + output());
                }
                return command.status() != null && command.status().isFullPassDone();
            });
        }

        String output() {
            return out.toString(StandardCharsets.UTF_8);
        }

        /** How a `run` that ended ended: its exit code, or what it threw. */
        static String ending(Future<Integer> result) {
            try {
                return "exit " + result.get();
            } catch (Exception e) {
                return String.valueOf(e.getCause());
            }
        }

        void awaitDrained() {
            Wait.until("events are drained (" + command.status().line() + ")", WAIT, () -> command.status().isDrained());
        }

        @Override
        public void close() throws Exception {
            command.stop();
            result.get();
            thread.shutdown();
        }
    }

    /** The sync status is a JMX MBean; none of its attributes, nor any other MBean's, holds a secret. */
    static void assertJmxShowsTheLagAndNoSecret() throws Exception {
        javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        javax.management.ObjectName status = new javax.management.ObjectName("minio-migrator:type=SyncStatus");
        assertTrue((Long) server.getAttribute(status, "EventsReceived") > 0);
        assertTrue((Boolean) server.getAttribute(status, "Drained"));
        Jmx.assertNoAttributeShows(List.of(TOKEN, TestStores.SOURCE_SECRET, TestStores.TARGET_SECRET));
    }

    static int freePort() {
        return io.github.miniomigrator.demo.FreePort.next();
    }

    HttpResponse<String> post(int port, String token, String body) throws Exception {
        return MinioEvents.post(port, token, body);
    }

    @Test
    void webhookEventsConvergeTheTargetAndBadOnesDoNoHarm() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            put(stores.sourceClient, "src", "live.txt", "live".getBytes());
            put(stores.sourceClient, "src", "gone-soon.txt", "bye".getBytes());
            int port = freePort();
            List<String> args = stores.arguments("src:dst", "migration.events.mode=webhook", "migration.http.port=" + port,
                    "migration.events.webhook.token=" + TOKEN, "migration.remove=true");
            try (Running run = new Running(stores, args)) {
                assertEquals(List.of("gone-soon.txt", "live.txt"), TestStores.keys(stores.targetClient, "dst"));

                String key = "新 文件/发票+1 (copy).txt";
                put(stores.sourceClient, "src", key, "new".getBytes());
                assertEquals(401, post(port, null, MinioEvents.webhook("s3:ObjectCreated:Put", "src", key)).statusCode());
                assertEquals(401, post(port, "wrong-token", MinioEvents.webhook("s3:ObjectCreated:Put", "src", key)).statusCode());
                assertEquals(400, post(port, TOKEN, "{not json").statusCode());
                assertEquals(400, post(port, TOKEN, "{\"Records\":[{\"s3\":{}}]}").statusCode());
                assertEquals(200, post(port, TOKEN, "{\"Records\":null}").statusCode());
                assertEquals(413, post(port, null, "x".repeat(8 << 20)).statusCode(), "a huge body is refused, never buffered whole");
                assertEquals(200, post(port, TOKEN, MinioEvents.webhook("s3:ObjectCreated:Put", "other-bucket", "x")).statusCode());
                assertEquals(200, post(port, TOKEN, MinioEvents.webhook("s3:ObjectCreated:Put", "src", key)).statusCode());
                // a forged removal of a live object: the source still has it, so nothing is deleted
                assertEquals(200, post(port, TOKEN, MinioEvents.webhook("s3:ObjectRemoved:Delete", "src", "live.txt")).statusCode());
                // a real removal
                stores.sourceClient.deleteObject(b -> b.bucket("src").key("gone-soon.txt"));
                assertEquals(200, post(port, TOKEN, MinioEvents.webhook("s3:ObjectRemoved:Delete", "src", "gone-soon.txt")).statusCode());
                run.awaitDrained();
                assertEquals(contents(stores.sourceClient, "src", ""), contents(stores.targetClient, "dst", ""));
                assertTrue(TestStores.keys(stores.targetClient, "dst").contains(key), "the escaped key was decoded once");
                assertEquals(2, run.command.status().getEventsMalformed());
                assertEquals(1, run.command.status().getEventsIgnored());
                assertJmxShowsTheLagAndNoSecret();
            }
        }
    }

    /**
     * 20,000 events over 500 keys while the objects keep changing (a third of the events come with a new write or a
     * delete; the rest announce a change the source has since moved past), each batch of two rounds shuffled (an older event for a
     * key may come after a newer one, a delete after the put that followed it) and one event in five sent twice: every
     * key converges to what the source holds, and the queue holds keys, not events.
     */
    @Test
    void twentyThousandReorderedAndRepeatedEventsOverFiveHundredKeysConvergeAndHoldKeysNotEvents() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            for (int i = 0; i < 300; i++) {
                put(stores.sourceClient, "src", "seed/" + i, ("seed " + i).getBytes());
            }
            int port = freePort();
            List<String> args = stores.arguments("src:dst", "migration.events.mode=webhook", "migration.http.port=" + port,
                    "migration.events.webhook.token=" + TOKEN, "migration.remove=true", "migration.concurrency=4",
                    // an application this hot deletes more a minute than the delete brake's default lets through (EventOutageIT tests the brake)
                    "migration.events.max-deletes=-1");
            ExecutorService writers = Executors.newFixedThreadPool(4);
            // writes during the full pass: started together with the run, each followed by its event
            Future<?> duringPass = writers.submit(() -> {
                Wait.until("the webhook is up", WAIT, () -> {
                    try {
                        return post(port, TOKEN, "{\"Records\":null}").statusCode() == 200;
                    } catch (Exception e) {
                        return false;
                    }
                });
                for (int i = 0; i < 50; i++) {
                    String key = "during-pass/" + i;
                    put(stores.sourceClient, "src", key, key.getBytes());
                    post(port, TOKEN, MinioEvents.webhook("s3:ObjectCreated:Put", "src", key));
                }
                return null;
            });
            int keys = 500;
            int sent = 50;
            try (Running run = new Running(stores, args)) {
                duringPass.get();
                Random random = new Random(4);
                List<Future<?>> sends = new ArrayList<>();
                for (int batch = 0; batch < 20; batch++) {
                    List<String> events = new ArrayList<>();
                    for (int round = 0; round < 2; round++) {
                        for (int k = 0; k < keys; k++) {
                            String key = "hot/" + k;
                            int dice = random.nextInt(12);
                            boolean delete = dice == 0;
                            if (delete) {
                                stores.sourceClient.deleteObject(b -> b.bucket("src").key(key));
                            } else if (dice < 4) {
                                byte[] body = new byte[100 + random.nextInt(3000)];
                                random.nextBytes(body);
                                put(stores.sourceClient, "src", key, body);
                            } // else an event whose change a later one overtook: the source has moved on
                            String event = MinioEvents.webhook(delete ? "s3:ObjectRemoved:Delete" : "s3:ObjectCreated:Put", "src", key);
                            events.add(event);
                            if (random.nextInt(5) == 0) {
                                events.add(event); // MinIO retries a delivery it thinks failed
                            }
                        }
                    }
                    Collections.shuffle(events, random);
                    sent += events.size();
                    for (String event : events) {
                        sends.add(writers.submit(() -> post(port, TOKEN, event)));
                    }
                }
                for (Future<?> send : sends) {
                    send.get();
                }
                run.awaitDrained();
                assertEquals(sent, run.command.status().getEventsReceived(), run.command.status().line());
                assertTrue(sent >= 20_050, "sent " + sent);
                assertEquals(contents(stores.sourceClient, "src", ""), contents(stores.targetClient, "dst", ""));
                int peak = run.command.status().getPeakPending();
                assertTrue(peak > 0 && peak <= keys + 50 + 300, "the queue held at most one entry per key: " + peak);
                assertEquals(0, run.command.status().getQueueOverflows());
            } finally {
                writers.shutdownNow();
            }
        }
    }

    /** A key without s3:ListenBucketNotification (MinIO's readonly policy): run stops at once naming it, not after 30 s of retries. */
    @Test
    void aRefusedListenStreamNamesThePermission() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            put(stores.sourceClient, "src", "first.txt", "1".getBytes());
            try (FaultyProxy source = new FaultyProxy(RemoveIT.portOf(stores.source.endpoint()), (m, p) -> FaultyProxy.Fault.PASS)) {
                source.refuseListenRequests(FaultyProxy.Fault.FORBIDDEN);
                TestStores.Run run = stores.run("run", stores.arguments("src:dst", "migration.events.mode=listen",
                        "migration.source.endpoint=" + source.endpoint()));
                assertEquals(MigratorApplication.EXIT_CANNOT_START, run.exitCode(), run.all());
                assertTrue(run.err().contains("the MinIO notification stream of source bucket 'src' was refused: HTTP 403 AccessDenied"),
                        run.all());
                assertTrue(run.err().contains("grant s3:ListenBucketNotification"), run.all());
                assertTrue(run.err().contains("migration.events.mode=webhook"), run.all());
                assertEquals(List.of(), TestStores.keys(stores.targetClient, "dst"), "nothing copied: capture comes first");
            }
        }
    }

    @Test
    void theListenStreamReconnectsAndCatchesUpAndARestartCatchesUpToo() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            put(stores.sourceClient, "src", "first.txt", "1".getBytes());
            try (FaultyProxy source = new FaultyProxy(RemoveIT.portOf(stores.source.endpoint()), (m, p) -> FaultyProxy.Fault.PASS)) {
                List<String> args = stores.arguments("src:dst", "migration.events.mode=listen", "migration.remove=true",
                        "migration.source.endpoint=" + source.endpoint());
                try (Running run = new Running(stores, args)) {
                    assertEquals(1, source.listenConnections.get());
                    String key = "listen/图 1+1.txt";
                    put(stores.sourceClient, "src", key, "via listen".getBytes());
                    source.listenLines.add("{\"Records\":null}");
                    source.listenLines.add(MinioEvents.listenLine("s3:ObjectCreated:Put", "src", key));
                    Wait.until("the listened key arrives", WAIT, () -> TestStores.keys(stores.targetClient, "dst").contains(key));

                    // written while the stream is down: no event will ever come for it
                    put(stores.sourceClient, "src", "missed.txt", "missed".getBytes());
                    source.listenLines.add(FaultyProxy.DROP);
                    Wait.until("the stream reconnects", WAIT, () -> source.listenConnections.get() >= 2);
                    Wait.until("the catch-up pass copies what no event announced", WAIT,
                            () -> TestStores.keys(stores.targetClient, "dst").contains("missed.txt"));
                    assertTrue(run.command.status().getCatchUpPasses() >= 1);

                    // MinIO shutting down in good order ends the stream cleanly (last chunk, EOF, no error): the same
                    // reconnect and catch-up as after a reset
                    put(stores.sourceClient, "src", "missed-at-clean-end.txt", "missed too".getBytes());
                    source.listenLines.add(FaultyProxy.END);
                    Wait.until("the stream reconnects after a clean end", WAIT, () -> source.listenConnections.get() >= 3);
                    Wait.until("a second catch-up pass runs", WAIT, () -> run.command.status().getCatchUpPasses() >= 2);
                    Wait.until("the catch-up pass after a clean end copies what no event announced", WAIT,
                            () -> TestStores.keys(stores.targetClient, "dst").contains("missed-at-clean-end.txt"));
                }
                // changes while the tool was down: the restart's full pass catches up
                put(stores.sourceClient, "src", "while-down.txt", "x".getBytes());
                stores.sourceClient.deleteObject(b -> b.bucket("src").key("first.txt"));
                try (Running again = new Running(stores, stores.arguments("src:dst", "migration.events.mode=listen",
                        "migration.remove=true", "migration.source.endpoint=" + source.endpoint()))) {
                    assertEquals(contents(stores.sourceClient, "src", ""), contents(stores.targetClient, "dst", ""));
                }
            }
        }
    }
}
