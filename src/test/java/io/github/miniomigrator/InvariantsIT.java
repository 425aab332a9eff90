package io.github.miniomigrator;

import static io.github.miniomigrator.support.TestStores.contents;
import static io.github.miniomigrator.support.TestStores.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.support.FaultyProxy;
import io.github.miniomigrator.support.MinioEvents;
import io.github.miniomigrator.support.TestStores;
import io.github.miniomigrator.support.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Guarantees that hold whatever else happens: the source is never written, and a key is always itself. */
class InvariantsIT {
    static final String TOKEN = "webhook-token-0123456789abcdef";

    /** Invariant 1: through copy, verify, smoke-test, assess and a `run` with events, the source sees only reads. */
    @Test
    void theSourceSeesOnlyReads() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            for (int i = 0; i < 10; i++) {
                put(stores.sourceClient, "src", "doc/" + i + ".pdf", ("document " + i).getBytes());
            }
            Set<String> methods = ConcurrentHashMap.newKeySet();
            try (FaultyProxy source = FaultyProxy.seeing(RemoveIT.portOf(stores.source.endpoint()), r -> {
                methods.add(r.method());
                return FaultyProxy.Fault.PASS;
            })) {
                List<String> args = stores.arguments("src:dst", "migration.source.endpoint=" + source.endpoint(), "migration.remove=true",
                        "migration.verify.sample=all");
                for (String command : List.of("assess", "copy", "verify", "smoke-test")) {
                    TestStores.Run run = stores.run(command, args);
                    assertEquals(0, run.exitCode(), command + ": " + run.all());
                }
                int port = EventsIT.freePort();
                List<String> runArgs = new ArrayList<>(args);
                runArgs.addAll(List.of("migration.events.mode=webhook", "migration.http.port=" + port, "migration.events.webhook.token=" + TOKEN));
                try (EventsIT.Running run = new EventsIT.Running(stores, runArgs)) {
                    put(stores.sourceClient, "src", "doc/new.pdf", "new".getBytes());
                    stores.sourceClient.deleteObject(b -> b.bucket("src").key("doc/0.pdf"));
                    MinioEvents.post(port, TOKEN, MinioEvents.webhook("s3:ObjectCreated:Put", "src", "doc/new.pdf"));
                    MinioEvents.post(port, TOKEN, MinioEvents.webhook("s3:ObjectRemoved:Delete", "src", "doc/0.pdf"));
                    Wait.until("the events converge", Duration.ofSeconds(60), () -> {
                        try {
                            return contents(stores.sourceClient, "src", "").equals(contents(stores.targetClient, "dst", ""));
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
                }
                assertTrue(Set.of("GET", "HEAD").containsAll(methods), "the source saw only reads: " + methods);
                assertTrue(methods.contains("GET"));
            }
        }
    }

    /** A key containing what Camel would evaluate (${...}) is copied, verified and deleted as itself. */
    @Test
    void keysThatLookLikeExpressionsAreThemselves() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            List<String> keys = List.of("${header.CamelAwsS3Key}.txt", "a/${date:now:yyyy}/b.txt", "${body}", "{{migration.buckets}}.txt",
                    "$simple{exchangeId}.pdf");
            for (String key : keys) {
                put(stores.sourceClient, "src", key, key.getBytes());
            }
            put(stores.targetClient, "dst", "${exchangeProperty.MigrationTargetBucket}.old", "only on the target".getBytes());
            List<String> args = stores.arguments("src:dst", "migration.remove=true", "migration.max-delete=5");
            TestStores.Run copy = stores.run("copy", args);
            assertEquals(0, copy.exitCode(), copy.all());
            Set<String> expected = new TreeSet<>(keys);
            assertEquals(expected, new TreeSet<>(TestStores.keys(stores.targetClient, "dst")),
                    "the source's keys, and the extra one (${...}.old) deleted as itself");
            assertEquals(contents(stores.sourceClient, "src", ""), contents(stores.targetClient, "dst", ""));
            assertEquals(0, stores.run("verify", args).exitCode());
        }
    }
}
