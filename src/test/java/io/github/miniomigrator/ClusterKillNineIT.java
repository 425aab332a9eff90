package io.github.miniomigrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.miniomigrator.support.KafkaBroker;
import io.github.miniomigrator.support.MinioEvents;
import io.github.miniomigrator.support.TestStores;
import io.github.miniomigrator.support.Wait;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The scale-out issue's headline, with processes: three `run` instances of the packaged jar share one migration — one
 * Kafka consumer group on a real broker (KRaft, in this JVM), one election on a real ZooKeeper (curator-test) — copying
 * between real S3 servers. Events for 2,000 keys are published in MinIO's Kafka format while the leader's full pass runs;
 * the leader is killed with SIGKILL mid-pass. The survivors elect a new leader, which runs the full pass again, and take
 * the dead one's partitions: the target ends equal to the source, every one of the 2,000 keys converged, and the group's
 * committed offsets reach the end of every partition. The failover is measured and printed, not asserted on.
 */
@Tag("process")
class ClusterKillNineIT {
    static final Duration WAIT = Duration.ofSeconds(120);
    static final KafkaBroker broker = KafkaBroker.shared();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final int SEEDS = 1_500;
    static final int EVENT_KEYS = 2_000;
    static final int PARTITIONS = 6;
    static final Pattern STAMP = Pattern.compile("^(\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d) ");

    /** One `run` child process: java -jar on the packaged jar with the launcher's JVM flags for a 2-core machine, its output in a file. */
    static final class Instance implements AutoCloseable {
        final String name;
        final int port = EventsIT.freePort();
        final Path log;
        final Process process;

        Instance(String name, TestStores stores, List<String> settings) throws IOException {
            this.name = name;
            Path jar = Path.of("target", "minio-migrator.jar");
            assertTrue(Files.isRegularFile(jar), "run after 'mvn package': " + jar.toAbsolutePath());
            Path config = stores.work().resolve("empty.properties");
            Files.writeString(config, "");
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                    "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar.toString(), "run", "--config", config.toString()));
            command.addAll(settings);
            command.addAll(List.of("migration.http.port=" + port, "migration.report.dir=" + stores.work().resolve("reports-" + name),
                    "migration.state.dir=" + stores.work().resolve("state-" + name)));
            log = stores.work().resolve("run-" + name + ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(stores.environment());
            builder.environment().put("MIGRATION_LANGUAGE", "en"); // English lines asserted, whatever the machine's locale
            builder.environment().put("MIGRATOR_LOG_DIR", stores.work().resolve("logs-" + name).toString());
            process = builder.start();
        }

        String output() {
            try {
                // not Files.readString: two streams share the file, and a character cut between them must not hide the rest
                return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }

        /** This instance's migration-cluster health details, or null while it does not answer. */
        JsonNode cluster() {
            try {
                String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health?data=true"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
                for (JsonNode check : new ObjectMapper().readTree(body).path("checks")) {
                    if (check.path("name").asText().equals("migration-cluster")) {
                        return check.path("data");
                    }
                }
            } catch (Exception e) {
                // not up yet, or gone
            }
            return null;
        }

        boolean leads() {
            JsonNode cluster = cluster();
            return cluster != null && cluster.path("leader").asBoolean(false);
        }

        /** When this instance first logged a line containing the text at or after a moment (its log's time of day, today), or null. */
        LocalDateTime logged(String text, LocalDateTime after) {
            for (String line : output().lines().toList()) {
                Matcher stamp = STAMP.matcher(line);
                if (line.contains(text) && stamp.find()) {
                    LocalDateTime at = LocalDateTime.of(LocalDate.now(), LocalTime.parse(stamp.group(1)));
                    if (!at.isBefore(after.withNano(after.getNano() / 1_000_000 * 1_000_000))) {
                        return at;
                    }
                }
            }
            return null;
        }

        /** When this instance last logged a line containing the text at or after a moment, or null. */
        LocalDateTime lastLogged(String text, LocalDateTime after) {
            LocalDateTime last = null;
            for (LocalDateTime at = logged(text, after); at != null; at = logged(text, at.plusNanos(1_000_000))) {
                last = at;
            }
            return last;
        }

        /** The end of its output, to show what it did when the test fails. */
        String tail() {
            List<String> lines = output().lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        }

        @Override
        public void close() throws Exception {
            if (process.isAlive()) {
                process.destroy(); // SIGTERM: a clean stop
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }

    static String eventKey(int k) {
        return "event/" + k + (k % 7 == 0 ? " 发票+1.txt" : ".txt");
    }

    /**
     * 2,000 keys, each written to the source and then announced as MinIO's Kafka target would, by four writers at once:
     * every fifth written again (a second event), every tenth from the fourth on deleted afterwards (a removal event).
     */
    static void writeAndAnnounce(TestStores stores, String topic, int writer, int writers) throws Exception {
        Random random = new Random(writer);
        List<Integer> keys = new ArrayList<>();
        for (int k = writer; k < EVENT_KEYS; k += writers) {
            keys.add(k);
        }
        for (int from = 0; from < keys.size(); from += 25) {
            List<Integer> batch = keys.subList(from, Math.min(keys.size(), from + 25));
            List<Map.Entry<String, String>> events = new ArrayList<>();
            for (int k : batch) {
                byte[] body = new byte[100 + random.nextInt(3000)];
                random.nextBytes(body);
                TestStores.put(stores.sourceClient, "src", eventKey(k), body);
                events.add(MinioEvents.kafka("s3:ObjectCreated:Put", "src", eventKey(k)));
            }
            broker.publishAll(topic, events);
            events.clear();
            for (int k : batch) {
                if (k % 5 == 0) {
                    TestStores.put(stores.sourceClient, "src", eventKey(k), ("second version of " + k).getBytes(StandardCharsets.UTF_8));
                    events.add(MinioEvents.kafka("s3:ObjectCreated:Put", "src", eventKey(k)));
                }
                if (k % 10 == 3) {
                    stores.sourceClient.deleteObject(b -> b.bucket("src").key(eventKey(k)));
                    events.add(MinioEvents.kafka("s3:ObjectRemoved:Delete", "src", eventKey(k)));
                }
            }
            broker.publishAll(topic, events);
        }
    }

    static final long STARTED = System.nanoTime();

    /** Where the time goes, printed for whoever sizes this test (no assertion on it). */
    static void mark(String phase) {
        System.out.printf("ClusterKillNineIT: %6.1f s %s%n", (System.nanoTime() - STARTED) / 1e9, phase);
    }

    static long seconds(LocalDateTime from, LocalDateTime to) {
        return Duration.between(from, to).toMillis();
    }

    @Test
    void theLeaderKilledMidPassWhileEventsFlowTheSurvivorsFinishAndNothingIsLost() throws Exception {
        String topic = "cluster-kill-nine";
        String group = "group-kill-nine";
        broker.createTopic(topic, PARTITIONS);
        mark("broker and topic up");
        InstanceSpec spec = new InstanceSpec(null, -1, -1, -1, true, -1, ClusterLeaderIT.TICK_MILLIS, -1);
        List<Instance> instances = new ArrayList<>();
        ExecutorService writers = Executors.newFixedThreadPool(4);
        boolean passed = false;
        try (TestingServer zooKeeper = new TestingServer(spec, true); TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            Map<String, byte[]> seeds = new TreeMap<>();
            Random random = new Random(2026);
            for (int i = 0; i < SEEDS; i++) {
                byte[] body = new byte[500 + random.nextInt(4000)];
                random.nextBytes(body);
                seeds.put(String.format("seed/%02d/%05d.bin", i % 50, i), body);
            }
            TestStores.putAll(stores.sourceClient, "src", seeds);
            mark("seeded");
            List<String> settings = stores.arguments("src:dst", "migration.events.mode=kafka", "migration.events.kafka.brokers="
                    + broker.bootstrap(), "migration.events.kafka.topic=" + topic, "migration.events.kafka.group=" + group,
                    "migration.remove=true", "migration.concurrency=8",
                    // the smallest the broker allows (group.min.session.timeout.ms, 6 s by default): a dead member's partitions move sooner
                    "migration.events.kafka.property.session.timeout.ms=6000", "migration.events.kafka.property.heartbeat.interval.ms=1000",
                    "migration.cluster.zookeeper=" + zooKeeper.getConnectString() + "/apps/kill", "migration.cluster.name=kill-nine",
                    "migration.cluster.session-timeout=3s", "migration.cutover.quiet-period=1s");
            for (String name : List.of("one", "two", "three")) {
                instances.add(new Instance(name, stores, settings));
            }
            Wait.until("one of the three leads", WAIT, () -> {
                instances.forEach(i -> assertTrue(i.process.isAlive(), i.name + " ended: " + i.output()));
                return instances.stream().anyMatch(Instance::leads);
            });
            Instance leader = instances.stream().filter(Instance::leads).findFirst().orElseThrow();
            mark("a leader");
            // the first to join leads from the start; under load one may start as a follower and take the lead moments later
            Wait.until("the leader's full pass has started", WAIT,
                    () -> leader.output().contains("starting the full pass") || leader.output().contains("took over the lead"));
            mark("full pass started");

            // events for 2,000 keys while the full pass runs
            List<Future<?>> writes = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int writer = w;
                writes.add(writers.submit(() -> {
                    writeAndAnnounce(stores, topic, writer, 4);
                    return null;
                }));
            }
            Wait.until("every instance has joined (health answers)", WAIT, () -> instances.stream().allMatch(i -> i.cluster() != null));
            Wait.until("the leader's pass is well under way", WAIT,
                    () -> TestStores.keys(stores.targetClient, "dst").stream().filter(k -> k.startsWith("seed/")).count() >= SEEDS / 5);
            assertFalse(leader.output().contains("full pass ok"), "the leader is killed mid-pass: give the pass more objects");
            mark("killing the leader");

            leader.process.destroyForcibly(); // SIGKILL: no shutdown hook, no goodbye to ZooKeeper or Kafka
            assertTrue(leader.process.waitFor(30, TimeUnit.SECONDS));
            LocalDateTime killedAt = LocalDateTime.now();
            List<Instance> survivors = instances.stream().filter(i -> i != leader).toList();

            Wait.until("a survivor leads", WAIT, () -> survivors.stream().anyMatch(Instance::leads));
            Instance next = survivors.stream().filter(Instance::leads).findFirst().orElseThrow();
            Wait.until("the new leader runs the full pass again", WAIT,
                    () -> next.logged("full pass: this instance took over the lead", killedAt) != null);
            mark("new leader's pass");
            Set<String> all = new TreeSet<>();
            for (int p = 0; p < PARTITIONS; p++) {
                all.add(topic + "-" + p);
            }
            Wait.until("the survivors hold every partition", WAIT, () -> {
                Set<String> held = new TreeSet<>();
                survivors.forEach(s -> held.addAll(KafkaEventsIT.held(s.port)));
                return held.equals(all);
            });
            // cooperative rebalancing logs each partition once, as it is assigned: the last such line after the kill (a
            // measurement only; none when the dead leader held no partition at the kill — the survivors held them all)
            LocalDateTime partitionsMoved = survivors.stream().map(i -> i.lastLogged("Kafka partitions assigned to this instance", killedAt))
                    .filter(java.util.Objects::nonNull).max(LocalDateTime::compareTo).orElse(killedAt);
            mark("partitions moved");
            for (Future<?> write : writes) {
                write.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            mark("events published");
            Wait.until("the new leader's full pass ended", WAIT, () -> next.output().contains("full pass ok"));
            mark("new full pass ended");
            Wait.until("the group has committed every offset of " + topic, WAIT, () -> {
                try {
                    return broker.committed(group).equals(broker.endOffsets(topic, PARTITIONS));
                } catch (Exception e) {
                    return false;
                }
            });
            mark("committed");
            Wait.until("the target lists what the source lists", WAIT,
                    () -> TestStores.listed(stores.sourceClient, "src", "").equals(TestStores.listed(stores.targetClient, "dst", "")));
            mark("listed equal");

            Map<String, String> source = TestStores.contents(stores.sourceClient, "src", "");
            Map<String, String> target = TestStores.contents(stores.targetClient, "dst", "");
            for (int k = 0; k < EVENT_KEYS; k++) {
                assertEquals(source.get(eventKey(k)), target.get(eventKey(k)), eventKey(k) + " converged");
            }
            assertEquals(source, target, "the target equals the source");
            mark("compared");
            assertEquals(broker.endOffsets(topic, PARTITIONS), broker.committed(group), "no event left uncommitted");
            for (Instance survivor : survivors) {
                assertTrue(survivor.process.isAlive(), survivor.name + ": " + survivor.output());
            }
            for (Instance instance : instances) {
                assertFalse(instance.output().contains(TestStores.SOURCE_SECRET) || instance.output().contains(TestStores.TARGET_SECRET),
                        instance.name + " shows a secret");
            }

            LocalDateTime elected = next.logged("now leads migration", killedAt);
            LocalDateTime passStarted = next.logged("full pass: this instance took over the lead", killedAt);
            System.out.printf("ClusterKillNineIT: kill -9 of the leader mid-pass -> new leader %d ms, its full pass started %d ms, "
                    + "the dead one's partitions assigned to the survivors %d ms (ZooKeeper session 3 s, Kafka session 6 s)%n",
                    seconds(killedAt, elected), seconds(killedAt, passStarted), seconds(killedAt, partitionsMoved));
            passed = true;
        } finally {
            if (!passed) {
                for (Instance instance : instances) {
                    System.out.println("ClusterKillNineIT: the end of " + instance.name + "'s output:\n" + instance.tail());
                }
            }
            writers.shutdownNow();
            for (Instance instance : instances) {
                instance.close();
            }
        }
    }
}
