package io.github.miniomigrator;

import static io.github.miniomigrator.support.TestStores.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.miniomigrator.support.FaultyProxy;
import io.github.miniomigrator.support.RobotReceiver;
import io.github.miniomigrator.support.TestStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The hooks (routes/hook-*.yaml) on real servers: a copy's outcomes reach the endpoints the settings name — a WeCom /
 * DingTalk robot (routes/robot.yaml, a local HTTP receiver standing in for the robot), files, the pass's report —
 * while the copy's own results stay what they were; a hook endpoint that fails changes nothing but a warning.
 */
@Tag("store")
class HooksIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void outcomesReachTheRobotAndTheFilesAndTheCopyIsUnchanged() throws Exception {
        try (TestStores stores = new TestStores(false); RobotReceiver robot = new RobotReceiver()) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            Map<String, byte[]> bodies = Map.of("a.txt", bytes("alpha"), "报表/三月.csv", bytes("month,total\n3,42\n"), "refused.bin", bytes("no"));
            bodies.forEach((key, body) -> put(stores.sourceClient, "src", key, body));
            Path copied = stores.work().resolve("copied");
            try (FaultyProxy proxy = FaultyProxy.seeing(RemoveIT.portOf(stores.target.endpoint()),
                    r -> r.method().equals("PUT") && r.path().contains("refused.bin") ? FaultyProxy.Fault.FORBIDDEN : FaultyProxy.Fault.PASS)) {
                TestStores.Run run = stores.runWith("copy", stores.arguments("src:dst", "migration.target.endpoint=" + proxy.endpoint(),
                        "migration.hooks.copy-failed=direct:robot", "migration.hooks.pass-finished=direct:robot",
                        "migration.hooks.object-copied=file:" + copied + "?fileName=${exchangeId}.json"),
                        Map.of("MIGRATION_HOOKS_ROBOT_URL", robot.url()));
                assertEquals(1, run.exitCode(), run.all());

                // the robot: one message for the failed key, with the store's reason, then one for the pass
                List<String> texts = robot.texts();
                assertEquals(2, texts.size(), texts.toString());
                assertTrue(texts.get(0).startsWith("minio-migrator: could not copy src/refused.bin to dst/refused.bin: ")
                        && texts.get(0).contains("403"), texts.get(0));
                assertTrue(texts.get(1).startsWith("minio-migrator: copy FAILED: 2 copied, 1 failed, 0 deleted; report copy-"), texts.get(1));
                robot.messages().forEach(m -> assertEquals("text", m.get("msgtype").asText(), m.toString()));
                robot.contentTypes().forEach(type -> assertTrue(type.startsWith("application/json"), type));
                robot.queries().forEach(query -> assertEquals("key=" + RobotReceiver.KEY, query));

                // the files: one JSON per copied key, as read and written
                Map<String, JsonNode> byKey = new TreeMap<>();
                try (Stream<Path> files = Files.list(copied)) {
                    for (Path file : files.toList()) {
                        JsonNode outcome = JSON.readTree(file.toFile());
                        byKey.put(outcome.get("key").asText(), outcome);
                    }
                }
                assertEquals(List.of("a.txt", "报表/三月.csv"), List.copyOf(byKey.keySet()));
                byKey.forEach((key, outcome) -> {
                    assertEquals("COPIED", outcome.get("outcome").asText(), outcome.toString());
                    assertEquals("dst", outcome.get("targetBucket").asText());
                    assertEquals(bodies.get(key).length, outcome.get("size").asLong());
                    assertEquals(md5(bodies.get(key)), outcome.get("etag").asText());
                    assertTrue(outcome.get("reason").isNull());
                });

                // the copy's own results are those of a run without hooks
                JsonNode pass = CopyIT.lastReport(stores).get("mappings").get(0);
                assertEquals(2, pass.get("copiedObjects").asInt(), pass.toPrettyString());
                assertEquals(1, pass.get("failedObjects").asInt(), pass.toPrettyString());
                assertEquals(List.of("a.txt", "报表/三月.csv"), TestStores.keys(stores.targetClient, "dst"));
                assertFalse(run.all().contains(RobotReceiver.KEY), "the robot's key is a secret: " + run.all());
            }
        }
    }

    @Test
    void aRobotThatRefusesChangesNothingButAWarningAndSpeaksChinese() throws Exception {
        try (TestStores stores = new TestStores(false); RobotReceiver robot = new RobotReceiver()) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            put(stores.sourceClient, "src", "a.txt", bytes("alpha"));
            put(stores.sourceClient, "src", "b.txt", bytes("beta"));
            robot.answer(500);
            TestStores.Run run = stores.runWith("copy", stores.arguments("src:dst", "migration.hooks.object-copied=direct:robot",
                    "migration.hooks.pass-finished=direct:robot", "migration.language=zh"), Map.of("MIGRATION_HOOKS_ROBOT_URL", robot.url()));
            assertEquals(0, run.exitCode(), "a hook's failure is not the copy's: " + run.all());
            assertEquals(List.of("a.txt", "b.txt"), TestStores.keys(stores.targetClient, "dst"));
            List<String> texts = robot.texts();
            assertEquals(3, texts.size(), "every outcome was offered once, none retried: " + texts);
            assertTrue(texts.stream().anyMatch(t -> t.equals("minio-migrator：已复制 src/a.txt 到 dst/a.txt（5 字节）")), texts.toString());
            assertTrue(texts.get(2).startsWith("minio-migrator：copy 已完成：复制 2 个"), texts.get(2));
        }
    }

    @Test
    void aHookThatIsNoEndpointOrARobotWithoutItsAddressIsRefusedBeforeAnythingRuns() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            put(stores.sourceClient, "src", "a.txt", bytes("alpha"));
            TestStores.Run notAnEndpoint = stores.run("copy", stores.arguments("src:dst", "migration.hooks.copy-failed=our robot secret-token-123"));
            assertEquals(2, notAnEndpoint.exitCode(), notAnEndpoint.all());
            assertTrue(notAnEndpoint.all().contains("migration.hooks.copy-failed is not a Camel endpoint URI"), notAnEndpoint.all());
            assertFalse(notAnEndpoint.all().contains("secret-token-123"), "a hook's value is secret: " + notAnEndpoint.all());

            TestStores.Run noRobot = stores.run("copy", stores.arguments("src:dst", "migration.hooks.copy-failed=direct:robot"));
            assertEquals(2, noRobot.exitCode(), noRobot.all());
            assertTrue(noRobot.all().contains("migration.hooks.copy-failed names the robot route")
                    && noRobot.all().contains("MIGRATION_HOOKS_ROBOT_URL"), noRobot.all());
            assertEquals(List.of(), TestStores.keys(stores.targetClient, "dst"), "nothing ran");
        }
    }

    /**
     * The robot's address carries its key, which Camel would show over JMX in an endpoint's URI (it masks password= and
     * token=, not key=): the robot route takes it from a header, and one message through it leaves no attribute with it.
     */
    @Test
    void theRobotsKeyIsInNoJmxAttribute() throws Exception {
        try (RobotReceiver robot = new RobotReceiver()) {
            Map<String, String> values = new java.util.HashMap<>(Map.of("migration.source.endpoint", "http://127.0.0.1:9",
                    "migration.source.access-key", "a", "migration.source.secret-key", "source-secret-1", "migration.target.provider", "generic",
                    "migration.target.endpoint", "http://127.0.0.1:9", "migration.target.access-key", "b", "migration.target.secret-key",
                    "target-secret-1", "migration.buckets", "src:dst", "migration.hooks.copy-failed", "direct:robot"));
            values.put("migration.hooks.robot-url", robot.url());
            values.put("migration.language", "en");
            io.github.miniomigrator.config.Settings settings = new io.github.miniomigrator.config.Settings(values);
            try (MigrationRuntime runtime = MigrationRuntime.start(settings)) {
                runtime.producer().send("direct:hook-copy-failed", exchange -> io.github.miniomigrator.hooks.ObjectOutcome.of("FAILED",
                        settings.mappings().get(0), "a.txt", 5, null, "503 SlowDown").putOn(exchange));
                assertEquals(List.of("minio-migrator: could not copy src/a.txt to dst/a.txt: 503 SlowDown"), robot.texts());
                io.github.miniomigrator.support.Jmx.assertNoAttributeShows(List.of(RobotReceiver.KEY));
            }
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String md5(byte[] body) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(body));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
