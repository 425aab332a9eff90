package io.github.miniomigrator;

import static io.github.miniomigrator.support.TestStores.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.miniomigrator.support.CapturedLog;
import io.github.miniomigrator.support.FaultyProxy;
import io.github.miniomigrator.support.TestStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A pass's deletes as the target sees them: batches of 1,000 keys in DeleteObjects requests carrying Content-MD5, each
 * key's result recorded (a key the store refuses in its answer is that key's failure), single deletes where the store
 * has no DeleteObjects, and the object-deleted / delete-failed hooks called per key.
 */
@Tag("store")
@Tag("slow")
class DeleteObjectsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The target keys the source lacks: {@code n} of them under old/. */
    private static Map<String, byte[]> extras(int n) {
        Map<String, byte[]> extras = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            extras.put(String.format("old/%05d", i), ("old " + i).getBytes(StandardCharsets.UTF_8));
        }
        return extras;
    }

    private static boolean deleteObjects(FaultyProxy.Request request) {
        return request.method().equals("POST") && request.path().contains("?delete");
    }

    /** The hook's messages in the folder its file: endpoint wrote them to, one JSON per file. */
    private static List<JsonNode> messages(Path dir) throws Exception {
        List<JsonNode> messages = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return messages;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                messages.add(JSON.readTree(Files.readString(file)));
            }
        }
        return messages;
    }

    @Test
    void aPassDeletesItsExtrasInBatchesOfAThousandEachWithContentMd5AndTheHookHearsEachKey() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            put(stores.sourceClient, "src", "kept.txt", "kept".getBytes());
            TestStores.putAll(stores.targetClient, "dst", extras(2500));
            List<FaultyProxy.Request> batches = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger singleDeletes = new AtomicInteger();
            Path hooked = stores.work().resolve("deleted");
            try (FaultyProxy proxy = FaultyProxy.seeing(RemoveIT.portOf(stores.target.endpoint()), request -> {
                if (deleteObjects(request)) {
                    batches.add(request);
                } else if (request.method().equals("DELETE") && request.path().startsWith("/dst/old")) {
                    singleDeletes.incrementAndGet();
                }
                return FaultyProxy.Fault.PASS;
            })) {
                TestStores.Run run = stores.run("copy", stores.arguments("src:dst", "migration.remove=true", "migration.max-delete=-1",
                        "migration.target.endpoint=" + proxy.endpoint(), "migration.hooks.object-deleted=file:" + hooked + "?fileName=${exchangeId}.json"));
                assertEquals(0, run.exitCode(), run.all());
                assertEquals(3, batches.size(), "⌈2500 / 1000⌉ DeleteObjects requests");
                assertEquals(0, singleDeletes.get());
                for (FaultyProxy.Request batch : batches) {
                    String head = batch.head().toLowerCase(Locale.ROOT);
                    assertTrue(head.contains("\r\ncontent-md5: "), head);
                    assertTrue(!head.contains("x-amz-checksum") && !head.contains("x-amz-sdk-checksum"), "Content-MD5 alone: " + head);
                }
            }
            JsonNode pass = CopyIT.lastReport(stores).get("mappings").get(0);
            assertEquals(2500, pass.get("deletedObjects").asInt());
            assertEquals(0, pass.get("failedObjects").asInt());
            assertEquals(List.of("kept.txt"), TestStores.keys(stores.targetClient, "dst"));
            List<JsonNode> messages = messages(hooked);
            assertEquals(2500, messages.size());
            TreeSet<String> keys = new TreeSet<>();
            for (JsonNode message : messages) {
                assertEquals("DELETED", message.get("outcome").asText(), message.toString());
                assertEquals("dst", message.get("targetBucket").asText());
                keys.add(message.get("key").asText());
            }
            assertEquals(extras(2500).keySet(), keys);
        }
    }

    @Test
    void aKeyTheStoreRefusesInItsAnswerIsThatKeysFailureTheOthersAreDeleted() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            put(stores.sourceClient, "src", "kept.txt", "kept".getBytes());
            TestStores.putAll(stores.targetClient, "dst", extras(3));
            Path failedHook = stores.work().resolve("failed");
            Path deletedHook = stores.work().resolve("deleted");
            try (FaultyProxy proxy = FaultyProxy.seeing(RemoveIT.portOf(stores.target.endpoint()), request -> FaultyProxy.Fault.PASS)) {
                // the store's answer names one key it could not delete, as S3 and OSS answer a key the policy denies
                proxy.rewriteResponses((request, answer) -> deleteObjects(request) ? withError(answer, "old/00001", "AccessDenied", "Access Denied")
                        : answer);
                TestStores.Run run = stores.run("copy", stores.arguments("src:dst", "migration.remove=true",
                        "migration.target.endpoint=" + proxy.endpoint(),
                        "migration.hooks.delete-failed=file:" + failedHook + "?fileName=${exchangeId}.json",
                        "migration.hooks.object-deleted=file:" + deletedHook + "?fileName=${exchangeId}.json"));
                assertEquals(1, run.exitCode(), run.all());
                assertTrue(run.out().contains("old/00001: could not delete from the target: AccessDenied (Access Denied)"), run.out());
            }
            JsonNode pass = CopyIT.lastReport(stores).get("mappings").get(0);
            assertEquals(2, pass.get("deletedObjects").asInt());
            assertEquals(1, pass.get("failedObjects").asInt());
            List<JsonNode> failed = messages(failedHook);
            assertEquals(1, failed.size(), failed.toString());
            assertEquals("DELETE_FAILED", failed.get(0).get("outcome").asText());
            assertEquals("old/00001", failed.get(0).get("key").asText());
            assertEquals("AccessDenied (Access Denied)", failed.get(0).get("reason").asText());
            TreeSet<String> deleted = new TreeSet<>();
            messages(deletedHook).forEach(message -> deleted.add(message.get("key").asText()));
            assertEquals(new TreeSet<>(List.of("old/00000", "old/00002")), deleted);
        }
    }

    @Test
    void aStoreWithoutDeleteObjectsGetsOneDeletePerKeyFromThenOn() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            put(stores.sourceClient, "src", "kept.txt", "kept".getBytes());
            TestStores.putAll(stores.targetClient, "dst", extras(1200));
            AtomicInteger batches = new AtomicInteger();
            AtomicInteger singleDeletes = new AtomicInteger();
            try (FaultyProxy proxy = FaultyProxy.seeing(RemoveIT.portOf(stores.target.endpoint()), request -> {
                if (deleteObjects(request)) {
                    batches.incrementAndGet();
                    return FaultyProxy.Fault.NOT_IMPLEMENTED;
                }
                if (request.method().equals("DELETE") && request.path().startsWith("/dst/old")) {
                    singleDeletes.incrementAndGet();
                }
                return FaultyProxy.Fault.PASS;
            }); CapturedLog log = new CapturedLog(List.of())) {
                TestStores.Run run = stores.run("copy", stores.arguments("src:dst", "migration.remove=true", "migration.max-delete=-1",
                        "migration.target.endpoint=" + proxy.endpoint()));
                assertEquals(0, run.exitCode(), run.all());
                assertEquals(1, batches.get(), "asked once, not retried, not asked again for the second batch");
                assertEquals(1200, singleDeletes.get());
                String said = "the target answered DeleteObjects with HTTP 501 NotImplemented";
                assertEquals(1, log.text().split(said, -1).length - 1, log.text());
                assertTrue(log.text().contains("deleting one key per request from now on"), log.text());
            }
            JsonNode pass = CopyIT.lastReport(stores).get("mappings").get(0);
            assertEquals(1200, pass.get("deletedObjects").asInt());
            assertEquals(List.of("kept.txt"), TestStores.keys(stores.targetClient, "dst"));
        }
    }

    @Test
    void anEventsSingleDeleteGoesThroughDeleteObjectAndTheHookHearsIt() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            put(stores.targetClient, "dst", "gone.txt", "gone".getBytes());
            put(stores.targetClient, "dst", "stays.txt", "stays".getBytes());
            Path hooked = stores.work().resolve("deleted");
            Map<String, String> values = new java.util.HashMap<>();
            for (String argument : stores.arguments("src:dst", "migration.events.mode=off",
                    "migration.hooks.object-deleted=file:" + hooked + "?fileName=${exchangeId}.json")) {
                values.put(argument.substring(0, argument.indexOf('=')), argument.substring(argument.indexOf('=') + 1));
            }
            values.put("migration.source.secret-key", TestStores.SOURCE_SECRET);
            values.put("migration.target.secret-key", TestStores.TARGET_SECRET);
            io.github.miniomigrator.config.Settings settings = new io.github.miniomigrator.config.Settings(values);
            try (MigrationRuntime runtime = MigrationRuntime.start(settings)) {
                // as KeySync deletes a key an event says the source lost
                io.github.miniomigrator.copy.ExtraObjectRemover.deleteTarget(runtime.context().createProducerTemplate(),
                        new io.github.miniomigrator.store.Retry(0, 10), settings.mappings().get(0), "gone.txt");
            }
            assertEquals(List.of("stays.txt"), TestStores.keys(stores.targetClient, "dst"));
            List<JsonNode> messages = messages(hooked);
            assertEquals(1, messages.size(), messages.toString());
            assertEquals("DELETED", messages.get(0).get("outcome").asText());
            assertEquals("gone.txt", messages.get(0).get("key").asText());
            assertEquals("dst", messages.get(0).get("targetBucket").asText());
        }
    }

    /**
     * The DeleteObjects answer with an Error entry for the key added (quiet mode lists only errors), its length fixed; a
     * chunked answer is sent back with a Content-Length instead.
     */
    static String withError(String answer, String key, String code, String message) {
        int split = answer.indexOf("\r\n\r\n");
        String head = answer.substring(0, split);
        String body = answer.substring(split + 4);
        if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
            StringBuilder plain = new StringBuilder();
            for (int at = 0; ; ) {
                int lineEnd = body.indexOf("\r\n", at);
                int size = Integer.parseInt(body.substring(at, lineEnd).split(";")[0].trim(), 16);
                if (size == 0) {
                    break;
                }
                plain.append(body, lineEnd + 2, lineEnd + 2 + size);
                at = lineEnd + 2 + size + 2;
            }
            body = plain.toString();
        }
        String error = "<Error><Key>" + key + "</Key><Code>" + code + "</Code><Message>" + message + "</Message></Error>";
        String rewritten = body.contains("</DeleteResult>") ? body.replace("</DeleteResult>", error + "</DeleteResult>")
                : body.replaceFirst("<DeleteResult([^>]*)/>", "<DeleteResult$1>" + error + "</DeleteResult>");
        StringBuilder newHead = new StringBuilder();
        for (String line : head.split("\r\n")) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (!lower.startsWith("content-length:") && !lower.startsWith("transfer-encoding:")) {
                newHead.append(line).append("\r\n");
            }
        }
        byte[] bytes = rewritten.getBytes(StandardCharsets.ISO_8859_1);
        return newHead + "Content-Length: " + bytes.length + "\r\n\r\n" + rewritten;
    }
}
