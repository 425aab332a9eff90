package io.github.miniomigrator;

import static io.github.miniomigrator.support.TestStores.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.support.CapturedLog;
import io.github.miniomigrator.support.Jmx;
import io.github.miniomigrator.support.MinioEvents;
import io.github.miniomigrator.support.TestStores;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * `run`'s HTTP server as an operator meets it: on loopback unless told otherwise, health and metrics behind a bearer
 * token or basic auth (401 otherwise, whatever the path's spelling), the webhook behind MinIO's own token, and neither
 * secret in any answer, log line or JMX attribute.
 */
@Tag("store")
class HttpAccessIT {
    static final String TOKEN = "observe-token-0123456789abcdef";
    static final String PASSWORD = "observe-password-0123456789";
    static final String WEBHOOK_TOKEN = "webhook-token-0123456789abcdef";
    static final List<String> SECRETS = List.of(TOKEN, PASSWORD, WEBHOOK_TOKEN, TestStores.SOURCE_SECRET, TestStores.TARGET_SECRET);

    final HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> get(int port, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** A request line sent as written (no client tidies the path): the status code the server answers. */
    static int rawStatus(int port, String path) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 "), path + ": " + response);
            return Integer.parseInt(response.substring(9, 12));
        }
    }

    /** An address of this machine other than loopback (a network interface's), if it has one. */
    static Optional<InetAddress> otherAddressOfThisMachine() throws IOException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address && !address.isLoopbackAddress() && !address.isLinkLocalAddress()) {
                        return Optional.of(address);
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The Host attribute of every Camel HTTP server service in JMX (the main server and the management one). */
    static java.util.Set<String> boundHosts() throws Exception {
        javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        java.util.Set<String> hosts = new java.util.TreeSet<>();
        for (javax.management.ObjectName name : server.queryNames(new javax.management.ObjectName("org.apache.camel:type=services,*"), null)) {
            String service = name.getKeyProperty("name");
            if (service != null && service.contains("HttpServer")) {
                hosts.add(String.valueOf(server.getAttribute(name, "Host")));
            }
        }
        assertFalse(hosts.isEmpty(), "Camel's HTTP servers are in JMX");
        return hosts;
    }

    static void assertNoSecretIn(String text) {
        for (String secret : SECRETS) {
            assertFalse(text.contains(secret), "a secret shows in:\n" + text);
        }
    }

    @Test
    void healthAndMetricsAnswerOnLoopbackOnlyAndOnlyWithTheTokenOrBasicAuth() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            for (int i = 0; i < 3; i++) {
                put(stores.sourceClient, "src", "k" + i, ("v" + i).getBytes());
            }
            int port = EventsIT.freePort();
            // migration.http.host left unset: its default; the secrets from the environment, as README advises
            List<String> args = stores.arguments("src:dst", "migration.events.mode=off", "migration.http.host=",
                    "migration.http.port=" + port, "migration.http.username=prometheus");
            Map<String, String> environment = Map.of("MIGRATION_HTTP_TOKEN", TOKEN, "MIGRATION_HTTP_PASSWORD", PASSWORD);
            List<String> answers = new ArrayList<>();
            String output;
            try (CapturedLog log = new CapturedLog(List.of("org.apache.camel.component.platform.http", "io.vertx"));
                    EventsIT.Running run = new EventsIT.Running(stores, args, environment)) {
                for (String path : List.of("/observe/health", "/observe/metrics")) {
                    HttpResponse<String> none = get(port, path, null);
                    assertEquals(401, none.statusCode(), path + ": " + none.body());
                    assertEquals(List.of("Bearer realm=\"minio-migrator\"", "Basic realm=\"minio-migrator\", charset=\"UTF-8\""),
                            none.headers().allValues("WWW-Authenticate"));
                    assertTrue(none.body().contains("migration.http.token"), none.body());
                    answers.add(none.body());
                    for (String wrong : List.of("Bearer wrong-token-0123456789abcdef", "Bearer " + PASSWORD, "Bearer " + WEBHOOK_TOKEN,
                            basic("prometheus", "wrong-password-0123456789"), basic("prometheus", TOKEN), basic("grafana", PASSWORD),
                            TOKEN, "Basic " + TOKEN)) {
                        HttpResponse<String> refused = get(port, path, wrong);
                        assertEquals(401, refused.statusCode(), path + " with a wrong credential");
                        answers.add(refused.body());
                    }
                    HttpResponse<String> bearer = get(port, path, "Bearer " + TOKEN);
                    assertEquals(200, bearer.statusCode(), path + ": " + bearer.body());
                    HttpResponse<String> basicAuth = get(port, path, basic("prometheus", PASSWORD));
                    assertEquals(200, basicAuth.statusCode(), path + ": " + basicAuth.body());
                    answers.add(bearer.body() + basicAuth.body());
                }
                assertTrue(get(port, "/observe/metrics", "Bearer " + TOKEN).body().contains("migration_objects_copied_total"));
                assertTrue(get(port, "/observe/health?data=true", basic("prometheus", PASSWORD)).body().contains("migration-target"));
                // other spellings of the same paths: never answered without credentials
                for (String path : List.of("/observe/health/", "/observe/health?data=true", "//observe/health", "/observe/./metrics",
                        "/minio/../observe/metrics", "/observe/%6Detrics", "/observe", "/observe/")) {
                    int status = rawStatus(port, path);
                    assertNotEquals(200, status, path + " answered without credentials");
                    assertTrue(status == 401 || status == 404, path + ": " + status);
                }
                // loopback only: another address of this machine has nothing listening on the port
                Optional<InetAddress> other = otherAddressOfThisMachine();
                if (other.isPresent()) {
                    assertThrows(ConnectException.class, () -> {
                        try (Socket socket = new Socket()) {
                            socket.connect(new InetSocketAddress(other.get(), port), 5000);
                        }
                    }, "the server must not listen on " + other.get().getHostAddress());
                }
                // and the address Camel's HTTP servers were given, as JMX shows them (whether or not this machine has another address)
                assertEquals(java.util.Set.of("127.0.0.1"), boundHosts());
                Jmx.assertNoAttributeShows(SECRETS);
                output = run.output() + log.text();
            }
            answers.forEach(HttpAccessIT::assertNoSecretIn);
            assertNoSecretIn(output);
        }
    }

    @Test
    void theWebhookKeepsMinioTokenAndTheGuardKeepsItsOwn() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            int port = EventsIT.freePort();
            List<String> args = stores.arguments("src:dst", "migration.events.mode=webhook", "migration.http.host=127.0.0.1",
                    "migration.http.port=" + port);
            Map<String, String> environment = Map.of("MIGRATION_HTTP_TOKEN", TOKEN, "MIGRATION_EVENTS_WEBHOOK_TOKEN", WEBHOOK_TOKEN);
            try (EventsIT.Running run = new EventsIT.Running(stores, args, environment)) {
                String keepAlive = "{\"Records\":null}";
                assertEquals(200, MinioEvents.post(port, WEBHOOK_TOKEN, keepAlive).statusCode(), "MinIO's token opens the webhook");
                assertEquals(401, MinioEvents.post(port, TOKEN, keepAlive).statusCode(), "the health token does not");
                assertEquals(401, MinioEvents.post(port, null, keepAlive).statusCode());
                assertEquals(401, get(port, "/observe/health", "Bearer " + WEBHOOK_TOKEN).statusCode(), "MinIO's token opens no health");
                assertEquals(200, get(port, "/observe/health", "Bearer " + TOKEN).statusCode());
                put(stores.sourceClient, "src", "new.txt", "new".getBytes());
                assertEquals(200, MinioEvents.post(port, WEBHOOK_TOKEN, MinioEvents.webhook("s3:ObjectCreated:Put", "src", "new.txt")).statusCode());
                run.awaitDrained();
                assertEquals(List.of("new.txt"), TestStores.keys(stores.targetClient, "dst"));
            }
        }
    }

    @Test
    void webhookModeRefusesToStartWhileTheHostIsLeftToLoopback() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            put(stores.sourceClient, "src", "k", "v".getBytes());
            TestStores.Run run = stores.runWith("run", stores.arguments("src:dst", "migration.events.mode=webhook", "migration.http.host="),
                    Map.of("MIGRATION_EVENTS_WEBHOOK_TOKEN", WEBHOOK_TOKEN));
            assertEquals(MigratorApplication.EXIT_CANNOT_START, run.exitCode(), run.all());
            assertTrue(run.err().contains("migration.events.mode=webhook needs MinIO to reach this machine"), run.all());
            assertTrue(run.err().contains("set migration.http.host"), run.all());
            assertTrue(TestStores.keys(stores.targetClient, "dst").isEmpty(), "nothing copied: it never started");
            assertNoSecretIn(run.all());
        }
    }
}
