package io.github.miniomigrator;

import static io.github.miniomigrator.support.TestStores.contents;
import static io.github.miniomigrator.support.TestStores.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.miniomigrator.support.CapturedLog;
import io.github.miniomigrator.support.FaultyProxy;
import io.github.miniomigrator.support.Jmx;
import io.github.miniomigrator.support.KafkaBroker;
import io.github.miniomigrator.support.MinioEvents;
import io.github.miniomigrator.support.TestStores;
import io.github.miniomigrator.support.Wait;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * `run` in kafka mode against a real Kafka broker (KRaft, in this JVM, shared by the test classes) and real S3 servers: MinIO's
 * Kafka target's messages published by a real producer, offsets committed only past converged events.
 */
@Tag("cluster")
class KafkaEventsIT {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final KafkaBroker broker = KafkaBroker.shared();
    static final HttpClient http = HttpClient.newHttpClient();

    /** The settings of a `run` instance in kafka mode reading the topic as a member of the group. */
    static List<String> kafka(TestStores stores, String topic, String group, int httpPort, String... more) {
        List<String> args = stores.arguments("src:dst", "migration.events.mode=kafka", "migration.events.kafka.brokers=" + broker.bootstrap(),
                "migration.events.kafka.topic=" + topic, "migration.events.kafka.group=" + group, "migration.remove=true",
                "migration.http.port=" + httpPort);
        args.addAll(List.of(more));
        return args;
    }

    /** Publishes MinIO's event for a key after writing (or deleting) it in the source. */
    static RecordMetadata write(TestStores stores, String key, byte[] body, String topic) throws Exception {
        if (body == null) {
            stores.sourceClient.deleteObject(b -> b.bucket("src").key(key));
            return broker.publish(topic, MinioEvents.kafka("s3:ObjectRemoved:Delete", "src", key));
        }
        put(stores.sourceClient, "src", key, body);
        return broker.publish(topic, MinioEvents.kafka("s3:ObjectCreated:Put", "src", key));
    }

    void awaitCommittedToTheEnd(String group, String topic, int partitions) {
        Wait.until("group " + group + " has committed every offset of " + topic, WAIT, () -> {
            try {
                return broker.committed(group).equals(broker.endOffsets(topic, partitions));
            } catch (Exception e) {
                return false;
            }
        });
    }

    static JsonNode kafkaHealth(int port) throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health?data=true")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (JsonNode check : new ObjectMapper().readTree(body).path("checks")) {
            if (check.path("name").asText().equals("migration-kafka")) {
                return check;
            }
        }
        throw new AssertionError("no migration-kafka check in " + body);
    }

    /** The partitions a running instance says (in /observe/health) it holds. */
    static Set<String> held(int port) {
        try {
            String partitions = kafkaHealth(port).path("data").path("partitions").asText("");
            return partitions.isEmpty() ? Set.of() : new TreeSet<>(List.of(partitions.split(",")));
        } catch (Exception e) {
            return Set.of();
        }
    }

    static String get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /**
     * Events for 300 keys published in MinIO's Kafka format while the full pass runs — puts, deletes, repeats, and a
     * put's event arriving after the delete that followed it: every key converges, and the group's offsets reach the
     * end of every partition.
     */
    @Test
    void eventsPublishedDuringTheFullPassConvergeAndEveryOffsetIsCommitted() throws Exception {
        String topic = "minio-events-full";
        broker.createTopic(topic, 3);
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            Map<String, byte[]> seeds = new HashMap<>();
            for (int i = 0; i < 200; i++) {
                seeds.put("seed/" + i, ("seed " + i).getBytes());
            }
            TestStores.putAll(stores.sourceClient, "src", seeds);
            ExecutorService writer = Executors.newSingleThreadExecutor();
            Random random = new Random(11);
            // started with the run: writes and events during the full pass, and after it
            Future<?> writes = writer.submit(() -> {
                for (int k = 0; k < 300; k++) {
                    String key = "hot/" + k + (k % 7 == 0 ? " 发票+1.txt" : ".txt");
                    byte[] body = new byte[50 + random.nextInt(2000)];
                    random.nextBytes(body);
                    write(stores, key, body, topic);
                    if (k % 5 == 0) {
                        broker.publish(topic, MinioEvents.kafka("s3:ObjectCreated:Put", "src", key)); // delivered twice
                    }
                    if (k % 10 == 3) {
                        write(stores, key, null, topic);
                        // the put's event once more, after the delete that followed it: stale, and the source says so
                        broker.publish(topic, MinioEvents.kafka("s3:ObjectCreated:Put", "src", key));
                    }
                }
                return null;
            });
            try (EventsIT.Running run = new EventsIT.Running(stores, kafka(stores, topic, "group-full", EventsIT.freePort()))) {
                writes.get();
                run.awaitDrained();
                assertEquals(contents(stores.sourceClient, "src", ""), contents(stores.targetClient, "dst", ""));
                awaitCommittedToTheEnd("group-full", topic, 3);
                assertTrue(run.command.status().getEventsReceived() >= 300 + 60 + 30 * 2, run.command.status().line());
                assertEquals(0, run.command.status().getEventsMalformed());
            } finally {
                writer.shutdownNow();
            }
        }
    }

    /**
     * A target that refuses some keys: their events are read but never converge, so the group's offset in each
     * partition stops at the first of them — through the stop too. Started again with the same group, the events from
     * there on are read again and every key converges.
     */
    @Test
    void offsetsAreCommittedOnlyPastConvergedEventsAndTheRestIsReadAgainAfterARestart() throws Exception {
        String topic = "minio-events-held";
        String group = "group-held";
        broker.createTopic(topic, 2);
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            Map<Integer, Long> firstHeld = new HashMap<>();
            int held = 20;
            try (FaultyProxy target = new FaultyProxy(RemoveIT.portOf(stores.target.endpoint()),
                    (method, path) -> method.equals("PUT") && path.contains("/held") ? FaultyProxy.Fault.FORBIDDEN : FaultyProxy.Fault.PASS);
                    EventsIT.Running run = new EventsIT.Running(stores, kafka(stores, topic, group, EventsIT.freePort(),
                            "migration.target.endpoint=" + target.endpoint(), "migration.retries=0"))) {
                for (int i = 0; i < 20; i++) {
                    write(stores, "free/" + i, ("free " + i).getBytes(), topic);
                }
                for (int i = 0; i < held; i++) {
                    RecordMetadata at = write(stores, "held/" + i, ("held " + i).getBytes(), topic);
                    firstHeld.merge(at.partition(), at.offset(), Math::min);
                }
                Wait.until("every sync has run once: 20 converged, 20 refused", WAIT,
                        () -> run.command.status().getEventsApplied() >= 20 && run.command.status().getSyncFailures() >= 20);
                Wait.until("the group's offsets stand at the first event not converged " + firstHeld, WAIT, () -> {
                    try {
                        return broker.committed(group).entrySet().containsAll(expectedOffsets(topic, firstHeld).entrySet());
                    } catch (Exception e) {
                        return false;
                    }
                });
            }
            assertTrue(broker.committed(group).entrySet().containsAll(expectedOffsets(topic, firstHeld).entrySet()),
                    "the stop committed nothing past an event that had not converged: " + broker.committed(group));
            try (EventsIT.Running again = new EventsIT.Running(stores, kafka(stores, topic, group, EventsIT.freePort()))) {
                awaitCommittedToTheEnd(group, topic, 2);
                assertTrue(again.command.status().getEventsReceived() >= held,
                        "the events from the first that had not converged are read again: " + again.command.status().line());
                again.awaitDrained();
                assertEquals(contents(stores.sourceClient, "src", ""), contents(stores.targetClient, "dst", ""));
            }
        }
    }

    static Map<TopicPartition, Long> expectedOffsets(String topic, Map<Integer, Long> byPartition) {
        Map<TopicPartition, Long> expected = new HashMap<>();
        byPartition.forEach((partition, offset) -> expected.put(new TopicPartition(topic, partition), offset));
        return expected;
    }

    /**
     * Two instances in one group share a four-partition topic and each says which partitions it holds; one stops right
     * after a burst of events: the survivor takes its partitions, reads what the other had not committed, and every
     * event still converges.
     */
    @Test
    void twoInstancesShareThePartitionsAndTheSurvivorTakesOverWhenOneStops() throws Exception {
        String topic = "minio-events-shared";
        String group = "group-shared";
        broker.createTopic(topic, 4);
        Set<String> all = Set.of(topic + "-0", topic + "-1", topic + "-2", topic + "-3");
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            int portA = EventsIT.freePort();
            int portB = EventsIT.freePort();
            try (EventsIT.Running b = new EventsIT.Running(stores, kafka(stores, topic, group, portB))) {
                EventsIT.Running a = new EventsIT.Running(stores, kafka(stores, topic, group, portA));
                try {
                    Wait.until("the two instances share the partitions", WAIT, () -> {
                        Set<String> heldA = held(portA);
                        Set<String> heldB = held(portB);
                        Set<String> both = new TreeSet<>(heldA);
                        both.addAll(heldB);
                        return !heldA.isEmpty() && !heldB.isEmpty() && heldA.size() + heldB.size() == 4 && both.equals(all);
                    });
                    for (int i = 0; i < 100; i++) {
                        write(stores, "shared/" + i, ("shared " + i).getBytes(), topic);
                    }
                    Wait.until("both converge their partitions' keys", WAIT, () -> stores.converged("src", "dst"));
                    assertTrue(a.command.status().getEventsReceived() > 0 && b.command.status().getEventsReceived() > 0);
                    assertEquals(4, ObserveIT.metric(get(portA, "/observe/metrics"), "migration_events_kafka_partitions")
                            + ObserveIT.metric(get(portB, "/observe/metrics"), "migration_events_kafka_partitions"), 0.0);
                    for (int i = 0; i < 100; i++) {
                        write(stores, "burst/" + i, ("burst " + i).getBytes(), topic);
                    }
                } finally {
                    a.close();
                }
                Wait.until("the survivor holds every partition", WAIT, () -> held(portB).equals(all));
                for (int i = 0; i < 50; i++) {
                    write(stores, "after/" + i, ("after " + i).getBytes(), topic);
                }
                b.awaitDrained();
                assertEquals(contents(stores.sourceClient, "src", ""), contents(stores.targetClient, "dst", ""));
                awaitCommittedToTheEnd(group, topic, 4);
            }
        }
    }

    /**
     * Messages that are no MinIO event, keep-alives and events for a bucket outside migration.buckets are counted and
     * hold nothing back; a secret passed through the Kafka settings reaches the client and shows nowhere: not in the
     * output, the log (Kafka's own lines included), reports, health, metrics or JMX.
     */
    @Test
    void badMessagesAreCountedWithoutHoldingTheirPartitionAndThePassedSecretShowsNowhere() throws Exception {
        String topic = "minio-events-bad";
        String group = "group-bad";
        broker.createTopic(topic, 1);
        String jaasPassword = "kafka-SECRET-7d1c9e04";
        String truststorePassword = "trust-SECRET-42ab9f";
        Map<String, String> environment = Map.of("MIGRATION_EVENTS_KAFKA_PROPERTY_SASL_JAAS_CONFIG",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"migrator\" password=\"" + jaasPassword + "\";");
        try (TestStores stores = new TestStores(false);
                CapturedLog log = new CapturedLog(List.of("org.apache.kafka", "org.apache.camel.component.kafka"))) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            int port = EventsIT.freePort();
            List<String> args = kafka(stores, topic, group, port, "migration.events.kafka.property.client.id=migrator-under-test",
                    "migration.events.kafka.property.ssl.truststore.password=" + truststorePassword);
            try (EventsIT.Running run = new EventsIT.Running(stores, args, environment)) {
                broker.publish(topic, Map.entry("src/x", "{not json"));
                broker.publish(topic, Map.entry("src/y", "{\"Records\":[{\"s3\":{}}]}"));
                broker.publish(topic, Map.entry("src/z", "{\"Records\":null}"));
                broker.publish(topic, MinioEvents.kafka("s3:ObjectCreated:Put", "other-bucket", "x"));
                put(stores.sourceClient, "src", "live.txt", "live".getBytes());
                broker.publish(topic, MinioEvents.kafka("s3:ObjectRemoved:Delete", "src", "live.txt")); // forged: the source has it
                write(stores, "after-the-bad-ones.txt", "ok".getBytes(), topic);
                run.awaitDrained();
                assertEquals(contents(stores.sourceClient, "src", ""), contents(stores.targetClient, "dst", ""));
                awaitCommittedToTheEnd(group, topic, 1);
                assertEquals(2, run.command.status().getEventsMalformed());
                assertEquals(1, run.command.status().getEventsIgnored());
                assertEquals("migrator-under-test", broker.admin().describeConsumerGroups(List.of(group)).all().get().get(group).members()
                        .iterator().next().clientId(), "the passed-through property reached the Kafka client");

                List<String> secrets = List.of(jaasPassword, truststorePassword, TestStores.SOURCE_SECRET, TestStores.TARGET_SECRET);
                StringBuilder shown = new StringBuilder(run.output()).append(log.text()).append(get(port, "/observe/health?data=true"))
                        .append(get(port, "/observe/metrics"));
                try (Stream<Path> reports = Files.list(stores.work().resolve("reports"))) {
                    for (Path report : reports.toList()) {
                        shown.append(Files.readString(report));
                    }
                }
                assertTrue(log.text().contains("ConsumerConfig values"), "Kafka's own configuration lines were captured");
                for (String secret : secrets) {
                    assertFalse(shown.toString().contains(secret), "a secret shows");
                }
                Jmx.assertNoAttributeShows(secrets);
                JsonNode health = kafkaHealth(port);
                assertEquals("UP", health.path("status").asText(), health.toString());
            }
        }
    }
}
