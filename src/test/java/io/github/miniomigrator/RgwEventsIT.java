package io.github.miniomigrator;

import static io.github.miniomigrator.support.TestStores.contents;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.config.TargetClientFactory;
import io.github.miniomigrator.support.TestStores;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.TopicConfiguration;

/**
 * `run` fed by a real Ceph RGW's own bucket notifications: a topic created through RGW's SNS API with an HTTP push
 * endpoint at `run`'s webhook (the secret in the path: RGW sends no token), a notification configuration on the source
 * bucket, then writes, overwrites and deletes of keys whose bytes change meaning under a wrong escaping rule. RGW is the
 * source (provider generic, path style), S3Proxy the target; the target converges byte for byte and verify exits 0.
 */
class RgwEventsIT {
    static final String PATH_SECRET = "rgw-push-secret-0123456789abcdef";
    static final List<String> AWKWARD = List.of("plus+sign.txt", "100%.txt", "a%20b.txt", "space key.txt", "中文.txt", "目录/发票 +1.txt");

    @Test
    void rgwNotificationsConvergeTheTargetForAwkwardKeys() throws Exception {
        try (LocalRgw rgw = LocalRgw.start(); TestStores stores = new TestStores(false)) {
            S3Client source = rgw.client();
            source.createBucket(b -> b.bucket("rgw-src"));
            stores.target.createBucket("dst");
            for (String key : AWKWARD) {
                put(source, "before/" + key, "before " + key);
            }
            int port = EventsIT.freePort();
            String topicArn = rgw.createTopic("migrator", "http://127.0.0.1:" + port + "/minio/events/" + PATH_SECRET);
            source.putBucketNotificationConfiguration(b -> b.bucket("rgw-src").notificationConfiguration(n -> n.topicConfigurations(
                    TopicConfiguration.builder().id("migrator").topicArn(topicArn)
                            .events(Event.S3_OBJECT_CREATED, Event.S3_OBJECT_REMOVED).build())));

            List<String> args = new ArrayList<>(stores.arguments("rgw-src:dst", "migration.events.mode=off",
                    "migration.http.port=" + port, "migration.remove=true"));
            args.addAll(rgw.asSource());
            List<String> runArgs = new ArrayList<>(args);
            runArgs.add("migration.events.mode=webhook");
            Map<String, String> environment = Map.of("MIGRATION_EVENTS_WEBHOOK_PATH_SECRET", PATH_SECRET);
            try (EventsIT.Running run = new EventsIT.Running(stores, runArgs, environment)) {
                assertEquals(contents(source, "rgw-src", ""), contents(stores.targetClient, "dst", ""), "the full pass");
                for (String key : AWKWARD) {
                    put(source, key, "first " + key);
                }
                for (int i = 0; i < AWKWARD.size(); i++) {
                    String key = AWKWARD.get(i);
                    if (i % 2 == 0) {
                        put(source, key, "second, longer " + key);
                    } else {
                        source.deleteObject(b -> b.bucket("rgw-src").key(key));
                    }
                    // the full pass's keys: every other one rewritten, the rest deleted
                    if (i % 2 == 1) {
                        put(source, "before/" + key, "rewritten " + key);
                    } else {
                        source.deleteObject(b -> b.bucket("rgw-src").key("before/" + key));
                    }
                }
                // RGW pushes a non-persistent notification while it answers the write: every event has reached `run` now
                long expected = AWKWARD.size() * 3L;
                assertTrue(run.command.status().getEventsReceived() >= expected, "RGW's pushes reached run: " + run.command.status().line());
                run.awaitDrained();
                assertEquals(contents(source, "rgw-src", ""), contents(stores.targetClient, "dst", ""));
                assertEquals(AWKWARD.size(), TestStores.keys(stores.targetClient, "dst").size());
                assertEquals(0, run.command.status().getDeliveriesRefused(), run.command.status().line());
                assertEquals(0, run.command.status().getEventsMalformed(), run.command.status().line());
            }
            TestStores.Run verify = stores.run("verify", args);
            assertEquals(0, verify.exitCode(), verify.all());
        }
    }

    static void put(S3Client s3, String key, String body) {
        s3.putObject(b -> b.bucket("rgw-src").key(key), RequestBody.fromString(body, StandardCharsets.UTF_8));
    }

    /**
     * A throwaway RGW from bench/rgw.sh (its output: shell-sourceable lines), stopped by {@code bench/rgw.sh stop DIR}.
     * The names follow support/Rgw on branch rgwfix, which replaces this at merge time.
     */
    static final class LocalRgw implements AutoCloseable {
        final Map<String, String> values;
        final S3Client client;

        private LocalRgw(Map<String, String> values) {
            this.values = values;
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("migration.target.provider", "generic");
            settings.put("migration.target.path-style", "true");
            settings.put("migration.target.endpoint", endpoint());
            settings.put("migration.target.region", "us-east-1");
            settings.put("migration.target.access-key", accessKey());
            settings.put("migration.target.secret-key", secretKey());
            this.client = TargetClientFactory.create(new Settings(settings));
        }

        static LocalRgw start() throws Exception {
            for (String binary : List.of("radosgw", "ceph-mon", "ceph-osd", "radosgw-admin", "monmaptool", "curl")) {
                Assumptions.assumeTrue(onPath(binary), "Ceph RGW tests need " + binary
                        + " (apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw): skipped on this machine");
            }
            Process process = new ProcessBuilder("bench/rgw.sh").redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "bench/rgw.sh did not end");
            Map<String, String> values = new LinkedHashMap<>();
            for (String line : output.split("\n")) {
                int eq = line.indexOf('=');
                if (line.startsWith("RGW_") && eq > 0) {
                    values.put(line.substring(0, eq), line.substring(eq + 1).trim());
                }
            }
            if (process.exitValue() != 0 || !values.containsKey("RGW_ENDPOINT")) {
                if (values.containsKey("RGW_DIR")) {
                    new LocalRgw(values).close();
                }
                throw new AssertionError("Ceph RGW is installed but bench/rgw.sh failed: " + output);
            }
            return new LocalRgw(values);
        }

        static boolean onPath(String binary) {
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
                if (Files.isExecutable(Path.of(dir, binary))) {
                    return true;
                }
            }
            return Files.isExecutable(Path.of("/usr/sbin", binary)) || Files.isExecutable(Path.of("/sbin", binary));
        }

        String endpoint() {
            return values.get("RGW_ENDPOINT");
        }

        String accessKey() {
            return values.get("RGW_ACCESS");
        }

        String secretKey() {
            return values.get("RGW_SECRET");
        }

        S3Client client() {
            return client;
        }

        List<String> asSource() {
            return List.of("migration.source.provider=generic", "migration.source.path-style=true", "migration.source.endpoint=" + endpoint(),
                    "migration.source.access-key=" + accessKey(), "migration.source.secret-key=" + secretKey(),
                    "migration.source.region=us-east-1");
        }

        /**
         * RGW's SNS API: CreateTopic with an HTTP push endpoint, signed with SigV4 by curl (RGW wants x-amz-content-sha256
         * signed in); @return the topic's ARN
         */
        String createTopic(String name, String pushEndpoint) throws Exception {
            String body = "Action=CreateTopic&Name=" + name + "&Attributes.entry.1.key=push-endpoint&Attributes.entry.1.value="
                    + URLEncoder.encode(pushEndpoint, StandardCharsets.UTF_8);
            String sha256 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(body.getBytes(StandardCharsets.UTF_8)));
            Process curl = new ProcessBuilder("curl", "-s", "-S", "--aws-sigv4", "aws:amz:us-east-1:sns", "--user", accessKey() + ":" + secretKey(),
                    "-H", "x-amz-content-sha256: " + sha256, "-H", "Content-Type: application/x-www-form-urlencoded", "--data", body,
                    endpoint() + "/").redirectErrorStream(true).start();
            String answer = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(curl.waitFor(30, TimeUnit.SECONDS));
            Matcher arn = Pattern.compile("<TopicArn>([^<]+)</TopicArn>").matcher(answer);
            assertTrue(arn.find(), "CreateTopic: " + answer);
            return arn.group(1);
        }

        @Override
        public void close() throws IOException, InterruptedException {
            if (client != null) {
                client.close();
            }
            Process stop = new ProcessBuilder("bench/rgw.sh", "stop", values.get("RGW_DIR")).redirectErrorStream(true).start();
            stop.getInputStream().readAllBytes();
            stop.waitFor(60, TimeUnit.SECONDS);
        }
    }
}
