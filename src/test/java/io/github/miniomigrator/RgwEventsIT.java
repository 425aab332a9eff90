package io.github.miniomigrator;

import static io.github.miniomigrator.support.TestStores.contents;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.support.Rgw;
import io.github.miniomigrator.support.TestStores;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
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
@Tag("process")
class RgwEventsIT {
    static final String PATH_SECRET = "rgw-push-secret-0123456789abcdef";
    static final List<String> AWKWARD = List.of("plus+sign.txt", "100%.txt", "a%20b.txt", "space key.txt", "中文.txt", "目录/发票 +1.txt");

    @Test
    void rgwNotificationsConvergeTheTargetForAwkwardKeys() throws Exception {
        Rgw rgw = Rgw.shared();
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "RgwEventsIT signs RGW's SNS call with curl: "
                + "apt-get install -y curl (skipped on this machine)");
        try (TestStores stores = new TestStores(false)) {
            S3Client source = rgw.client();
            bucket = rgw.bucket("rgw-src");
            stores.target.createBucket("dst");
            for (String key : AWKWARD) {
                put(source, "before/" + key, "before " + key);
            }
            int port = EventsIT.freePort();
            String topicArn = createTopic(rgw, bucket + "-topic", "http://127.0.0.1:" + port + "/minio/events/" + PATH_SECRET);
            source.putBucketNotificationConfiguration(b -> b.bucket(bucket).notificationConfiguration(n -> n.topicConfigurations(
                    TopicConfiguration.builder().id("migrator").topicArn(topicArn)
                            .events(Event.S3_OBJECT_CREATED, Event.S3_OBJECT_REMOVED).build())));

            List<String> args = new ArrayList<>(stores.arguments(bucket + ":dst", "migration.events.mode=off",
                    "migration.http.port=" + port, "migration.remove=true"));
            args.addAll(rgw.asSource());
            List<String> runArgs = new ArrayList<>(args);
            runArgs.add("migration.events.mode=webhook");
            Map<String, String> environment = Map.of("MIGRATION_EVENTS_WEBHOOK_PATH_SECRET", PATH_SECRET);
            try (EventsIT.Running run = new EventsIT.Running(stores, runArgs, environment)) {
                assertEquals(contents(source, bucket, ""), contents(stores.targetClient, "dst", ""), "the full pass");
                for (String key : AWKWARD) {
                    put(source, key, "first " + key);
                }
                for (int i = 0; i < AWKWARD.size(); i++) {
                    String key = AWKWARD.get(i);
                    if (i % 2 == 0) {
                        put(source, key, "second, longer " + key);
                    } else {
                        source.deleteObject(b -> b.bucket(bucket).key(key));
                    }
                    // the full pass's keys: every other one rewritten, the rest deleted
                    if (i % 2 == 1) {
                        put(source, "before/" + key, "rewritten " + key);
                    } else {
                        source.deleteObject(b -> b.bucket(bucket).key("before/" + key));
                    }
                }
                // RGW pushes a non-persistent notification while it answers the write: every event has reached `run` now
                long expected = AWKWARD.size() * 3L;
                assertTrue(run.command.status().getEventsReceived() >= expected, "RGW's pushes reached run: " + run.command.status().line());
                run.awaitDrained();
                assertEquals(contents(source, bucket, ""), contents(stores.targetClient, "dst", ""));
                assertEquals(AWKWARD.size(), TestStores.keys(stores.targetClient, "dst").size());
                assertEquals(0, run.command.status().getDeliveriesRefused(), run.command.status().line());
                assertEquals(0, run.command.status().getEventsMalformed(), run.command.status().line());
            }
            TestStores.Run verify = stores.run("verify", args);
            assertEquals(0, verify.exitCode(), verify.all());
        }
    }

    static String bucket;

    static void put(S3Client s3, String key, String body) {
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(body, StandardCharsets.UTF_8));
    }

    /**
     * RGW's SNS API: CreateTopic with an HTTP push endpoint, signed with SigV4 by curl (RGW wants x-amz-content-sha256
     * signed in); @return the topic's ARN
     */
    static String createTopic(Rgw rgw, String name, String pushEndpoint) throws Exception {
        String body = "Action=CreateTopic&Name=" + name + "&Attributes.entry.1.key=push-endpoint&Attributes.entry.1.value="
                + URLEncoder.encode(pushEndpoint, StandardCharsets.UTF_8);
        String sha256 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(body.getBytes(StandardCharsets.UTF_8)));
        Process curl = new ProcessBuilder("curl", "-s", "-S", "--aws-sigv4", "aws:amz:us-east-1:sns", "--user", rgw.accessKey() + ":" + rgw.secretKey(),
                "-H", "x-amz-content-sha256: " + sha256, "-H", "Content-Type: application/x-www-form-urlencoded", "--data", body,
                rgw.endpoint() + "/").redirectErrorStream(true).start();
        String answer = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(curl.waitFor(30, TimeUnit.SECONDS));
        Matcher arn = Pattern.compile("<TopicArn>([^<]+)</TopicArn>").matcher(answer);
        assertTrue(arn.find(), "CreateTopic: " + answer);
        return arn.group(1);
    }
}
