package io.github.miniomigrator.demo;

import io.github.miniomigrator.command.RunCommand;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.i18n.Messages;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** The demo's steps 3 and 5: the application keeps writing while `run` syncs; the plan file in the runbook's format. */
final class DemoRunbook {
    private DemoRunbook() {
    }

    static int incrementalSync(Settings base, S3Client application, S3Client target, PrintStream out) throws Exception {
        int port = FreePort.next();
        String token = "demo-webhook-token-" + Long.toHexString(System.nanoTime());
        Map<String, String> values = new java.util.LinkedHashMap<>(base.all());
        values.put("migration.events.mode", "webhook");
        values.put("migration.http.port", String.valueOf(port));
        // the demo's "MinIO" runs in this process: the webhook listens on this machine only
        values.put("migration.http.host", "127.0.0.1");
        values.put("migration.events.webhook.token", token);
        out.println();
        out.println(Messages.text("cli.demo.step-3"));
        RunCommand run = new RunCommand(new Settings(values), out).stoppedBy(Messages.text("cli.demo.run-until"));
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> result = thread.submit(run::execute);
            while (run.status() == null || !run.status().isFullPassDone()) {
                if (result.isDone()) {
                    return result.get();
                }
                Thread.sleep(100);
            }
            HttpClient http = HttpClient.newHttpClient();
            out.println(Messages.text("cli.demo.console-at", "http://127.0.0.1:" + port));
            for (int i = 1; i <= 5; i++) {
                String key = "发票/2025/新发票 " + i + ".pdf";
                application.putObject(b -> b.bucket(DemoCommand.SOURCE_BUCKET).key(key).contentType("application/pdf"),
                        RequestBody.fromString("invoice " + key, StandardCharsets.UTF_8));
                post(http, port, token, "s3:ObjectCreated:Put", key);
            }
            application.deleteObject(b -> b.bucket(DemoCommand.SOURCE_BUCKET).key("a&b#c.txt"));
            post(http, port, token, "s3:ObjectRemoved:Delete", "a&b#c.txt");
            out.println(Messages.text("cli.demo.application-wrote"));
            while (!run.status().isDrained()) {
                Thread.sleep(100);
            }
            long arrived = java.util.stream.IntStream.rangeClosed(1, 5)
                    .filter(i -> exists(target, DemoCommand.TARGET_BUCKET, "发票/2025/新发票 " + i + ".pdf")).count();
            boolean deleted = !exists(target, DemoCommand.TARGET_BUCKET, "a&b#c.txt");
            out.println(Messages.text("cli.demo.applied", DemoCommand.TARGET_BUCKET, arrived,
                    deleted ? Messages.text("cli.demo.deleted-gone") : Messages.text("cli.demo.deleted-still-there"), run.status().line()));
            out.println(Messages.text("cli.demo.console-says", console(http, port)));
            run.stop();
            return result.get();
        } finally {
            thread.shutdown();
        }
    }

    /** What /observe/status says of the mapping and the events, in a few words. */
    private static String console(HttpClient http, int port) {
        try {
            String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/status")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            com.fasterxml.jackson.databind.JsonNode status = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
            com.fasterxml.jackson.databind.JsonNode mapping = status.path("mappings").path(0);
            return Messages.text("cli.demo.console-status", mapping.path("mapping").asText(), mapping.path("phase").asText(),
                    status.path("events").path("applied").asLong(), mapping.path("lastPass").path("result").asText());
        } catch (Exception e) {
            return Messages.text("cli.demo.console-no-answer", e.getMessage());
        }
    }

    private static boolean exists(S3Client client, String bucket, String key) {
        try {
            client.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    private static void post(HttpClient http, int port, String token, String event, String key) throws Exception {
        String escaped = URLEncoder.encode(key, StandardCharsets.UTF_8);
        String body = "{\"EventName\":\"" + event + "\",\"Key\":\"" + DemoCommand.SOURCE_BUCKET + "/" + escaped + "\",\"Records\":[{"
                + "\"eventName\":\"" + event + "\",\"s3\":{\"bucket\":{\"name\":\"" + DemoCommand.SOURCE_BUCKET + "\"},"
                + "\"object\":{\"key\":\"" + escaped + "\"}}}]}";
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/minio/events"))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the webhook answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** The runbook's switch, in its own format; the secret comes from the environment, not the file. */
    static Path writePlan(Path dir) throws Exception {
        Path plan = dir.resolve("switch.txt");
        Files.writeString(plan, String.join("\n",
                "# the runbook's ZooKeeper switch: storeType 4 = OSS",
                "/api-archive/pri=storeType=4",
                "/api-archive/pri=ACCESS_KEY_ID={{migration.target.access-key}}",
                "/api-archive/pri=SECRET_KEY_ID={{env:OSS_SECRET_KEY}}",
                "/api-archive/pri=ERP_ARCHIVE_BUCKET_NAME=oss-temp",
                "/api-archive/pri=SCAN_BUCKET_NAME=oss-temp",
                "/api-archive/pri=endPoint=oss-temp.oss-cn-north-4.example-endpoint.com",
                "/api-archive-invoice/pri=BUCKET_NAME=oss-temp", ""));
        return plan;
    }

    /** The application after the switch, on the target: three new scans, one rewritten, one deleted; what it did, in a line. */
    static String applicationOnTarget(software.amazon.awssdk.services.s3.S3Client target, String bucket) {
        for (int i = 1; i <= 3; i++) {
            String key = "scans/2026/12/after-the-switch-" + i + ".tif";
            // a Content-Type without parameters: S3Proxy, standing in for MinIO, refuses "text/plain; charset=UTF-8" (DESIGN.md)
            target.putObject(b -> b.bucket(bucket).key(key).contentType("image/tiff"),
                    software.amazon.awssdk.core.sync.RequestBody.fromBytes(("new scan " + key).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        target.putObject(b -> b.bucket(bucket).key("发票/2024/发票（一）.pdf").contentType("application/pdf"),
                software.amazon.awssdk.core.sync.RequestBody.fromBytes("the invoice, corrected after the switch".getBytes(
                        java.nio.charset.StandardCharsets.UTF_8)));
        target.deleteObject(b -> b.bucket(bucket).key("scans/2024/01/scan 0001.tif"));
        return Messages.text("cli.demo.application-on-target");
    }
}
