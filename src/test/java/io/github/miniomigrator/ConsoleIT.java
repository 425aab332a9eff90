package io.github.miniomigrator;

import static io.github.miniomigrator.support.TestStores.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.miniomigrator.support.Chromium;
import io.github.miniomigrator.support.DevTools;
import io.github.miniomigrator.support.MinioEvents;
import io.github.miniomigrator.support.TestStores;
import io.github.miniomigrator.support.Wait;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.management.ObjectName;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The console of a real `run` (S3Proxy on both sides, events through the webhook): its page in headless Chromium in
 * English and Chinese (drawn in a CJK font), its numbers equal to its JSON's, its controls (pause holds an event's
 * copy until resumed; the bandwidth override) working with the credential only and never from another origin.
 */
@Tag("process")
class ConsoleIT {
    static final String USER = "operator";
    static final String PASSWORD = "console-password-0123456789";
    static final String WEBHOOK = "webhook-token-0123456789abcdef";
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<String> get(int port, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(int port, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode status(int port) {
        try {
            HttpResponse<String> answer = get(port, "/observe/status", "Authorization", basic());
            assertEquals(200, answer.statusCode(), answer.body());
            return JSON.readTree(answer.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String copyRouteState() {
        try {
            return String.valueOf(ManagementFactory.getPlatformMBeanServer().getAttribute(
                    new ObjectName("org.apache.camel:context=minio-migrator,type=routes,name=\"copy-object\""), "State"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theConsoleShowsTheRunAndItsControlsNeedTheCredential() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            for (int i = 0; i < 12; i++) {
                put(stores.sourceClient, "src", "k" + i, ("value " + i).getBytes());
            }
            int port = EventsIT.freePort();
            List<String> args = stores.arguments("src:dst", "migration.events.mode=webhook", "migration.http.port=" + port,
                    "migration.events.webhook.token=" + WEBHOOK, "migration.http.username=" + USER);
            try (EventsIT.Running run = new EventsIT.Running(stores, args, Map.of("MIGRATION_HTTP_PASSWORD", PASSWORD))) {
                // the page and its protection
                HttpResponse<String> page = get(port, "/console");
                assertEquals(200, page.statusCode());
                assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"));
                assertEquals("DENY", page.headers().firstValue("X-Frame-Options").orElse(""));
                assertEquals("/console", get(port, "/").headers().firstValue("Location").orElse(""));
                assertEquals(401, get(port, "/observe/status").statusCode());
                assertEquals(401, get(port, "/observe/status", "Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (USER + ":wrong-password-0123456789").getBytes(StandardCharsets.UTF_8))).statusCode());
                Wait.until("the mapping is drained", Duration.ofSeconds(60),
                        () -> status(port).path("mappings").get(0).path("phase").asText().equals("drained"));

                // the controls: never without the credential, never from another site, never but as JSON from the page
                String pause = "/observe/control/pause";
                assertEquals(401, post(port, pause, "{}", "X-Migrator-Console", "1", "Content-Type", "application/json").statusCode());
                assertEquals(403, post(port, pause, "{}", "Authorization", basic(), "Content-Type", "application/json").statusCode());
                assertEquals(403, post(port, pause, "{}", "Authorization", basic(), "X-Migrator-Console", "1", "Content-Type",
                        "application/json", "Origin", "http://evil.example").statusCode());
                assertEquals(403, post(port, pause, "{}", "Authorization", basic(), "X-Migrator-Console", "1", "Content-Type",
                        "application/json", "Sec-Fetch-Site", "cross-site").statusCode());
                assertEquals(415, post(port, pause, "a=b", "Authorization", basic(), "X-Migrator-Console", "1", "Content-Type",
                        "application/x-www-form-urlencoded").statusCode());
                assertEquals("Started", copyRouteState());
                // report files: by plain name only
                assertEquals(200, get(port, "/observe/reports/index.html", "Authorization", basic()).statusCode());
                assertEquals(404, get(port, "/observe/reports/..%2F..%2Fpom.xml", "Authorization", basic()).statusCode());
                assertEquals(401, get(port, "/observe/reports/index.html").statusCode());

                Assumptions.assumeTrue(Chromium.available(), "no chromium here (apt-get install chromium); CI installs it");
                Path shots = Path.of("target", "console");
                try (DevTools browser = DevTools.open("en-US,en;q=0.9")) {
                    browser.navigate("http://127.0.0.1:" + port + "/console");
                    browser.waitUntil("the sign-in form", "!document.getElementById('signin').hidden && !document.getElementById('user-row').hidden");
                    assertTrue(browser.evaluate("document.getElementById('token-row').hidden").asBoolean(), "no token is set: no token field");
                    browser.type("#user", USER);
                    browser.type("#password", PASSWORD);
                    browser.click("#signin-button");
                    browser.waitUntil("the console", "!document.getElementById('main').hidden && document.querySelector('#mappings tbody tr') !== null");

                    // an event's copy, held by a pause pressed on the page, goes through once resumed
                    browser.click("#pause");
                    Wait.until("copy-object is suspended", Duration.ofSeconds(30), () -> copyRouteState().equals("Suspended"));
                    put(stores.sourceClient, "src", "during-pause", "held".getBytes());
                    assertEquals(200, MinioEvents.post(port, WEBHOOK, MinioEvents.webhook("s3:ObjectCreated:Put", "src", "during-pause")).statusCode());
                    Wait.until("the event waits", Duration.ofSeconds(30), () -> status(port).path("events").path("received").asLong() == 1);
                    browser.waitUntil("the page says paused", "!document.getElementById('resume').hidden");
                    assertFalse(TestStores.keys(stores.targetClient, "dst").contains("during-pause"), "paused: nothing copied");
                    browser.click("#resume");
                    Wait.until("the held copy lands", Duration.ofSeconds(30), () -> TestStores.keys(stores.targetClient, "dst").contains("during-pause"));
                    assertEquals("Started", copyRouteState());

                    // the bandwidth override, and back to the setting
                    browser.type("#bandwidth", "10M");
                    browser.click("#bandwidth-apply");
                    Wait.until("the override is in force", Duration.ofSeconds(30),
                            () -> status(port).path("controls").path("bandwidth").path("override").asLong() == 10L << 20);
                    browser.click("#bandwidth-reset");
                    Wait.until("the setting is in force again", Duration.ofSeconds(30),
                            () -> status(port).path("controls").path("bandwidth").path("override").isNull());

                    // no plan: the cutover button is off and the page says why
                    browser.waitUntil("the cutover is off", "document.getElementById('cutover').disabled");
                    assertTrue(browser.evaluate("document.getElementById('cutover-why').textContent").asText().contains("migration.cutover.plan"));

                    // the page's numbers are the JSON's (the run is quiet now: drained, nothing moving)
                    Wait.until("drained again", Duration.ofSeconds(60), () -> status(port).path("events").path("drained").asBoolean());
                    browser.waitUntil("the page shows the applied event and drained", "document.querySelector('[data-field=\"events.applied\"]')"
                            + ".textContent === '1' && document.querySelector('#mappings tbody tr').textContent.includes('drained')");
                    JsonNode json = status(port);
                    JsonNode shown = browser.evaluate("Array.from(document.querySelectorAll('[data-field]')).map(e => [e.dataset.field, "
                            + "e.dataset.value !== undefined ? e.dataset.value : e.textContent])");
                    List<String> compared = new ArrayList<>();
                    for (JsonNode pair : shown) {
                        JsonNode value = at(json, pair.get(0).asText());
                        if (value.isNumber()) {
                            assertEquals(value.asDouble(), Double.parseDouble(pair.get(1).asText()), 0.0, pair.get(0).asText());
                            compared.add(pair.get(0).asText());
                        }
                    }
                    assertTrue(compared.containsAll(List.of("events.received", "events.applied", "events.pending", "events.owed", "failures.count")),
                            "compared: " + compared);
                    String lastPass = browser.evaluate("document.querySelector('#mappings tbody tr').textContent").asText();
                    assertTrue(lastPass.contains("12 copied") && lastPass.contains("drained"), lastPass);
                    browser.screenshot(shots.resolve("console-en.png"));

                    // signed out, the page's own request is refused and nothing is paused
                    browser.click("#signout");
                    JsonNode refused = browser.evaluate("fetch('/observe/control/pause', {method: 'POST', headers: {'X-Migrator-Console': '1', "
                            + "'Content-Type': 'application/json'}, body: '{}'}).then(r => r.status)");
                    assertEquals(401, refused.asInt());
                    assertEquals("Started", copyRouteState());
                    String everything = browser.evaluate("document.documentElement.outerHTML").asText() + get(port, "/observe/status", "Authorization",
                            basic()).body();
                    for (String secret : List.of(PASSWORD, WEBHOOK, TestStores.SOURCE_SECRET, TestStores.TARGET_SECRET)) {
                        assertFalse(everything.contains(secret), "a secret on the page or in its JSON");
                    }
                }

                try (DevTools browser = DevTools.open("zh-CN,zh;q=0.9,en;q=0.5")) {
                    browser.navigate("http://127.0.0.1:" + port + "/console");
                    browser.waitUntil("the Chinese sign-in form", "document.querySelector('#signin h2').textContent === '登录'");
                    browser.type("#user", USER);
                    browser.type("#password", PASSWORD);
                    browser.click("#signin-button");
                    browser.waitUntil("the console in Chinese", "!document.getElementById('main').hidden && document.querySelector('#mappings tbody tr') !== null");
                    assertTrue(browser.evaluate("document.querySelector('h1').textContent").asText().contains("控制台"));
                    assertTrue(browser.evaluate("document.querySelector('#mappings tbody tr').textContent").asText().contains("已追平"));
                    List<String> fonts = browser.fontsOf("h1");
                    assertTrue(fonts.stream().anyMatch(f -> f.matches("(?i).*(wenquanyi|noto sans cjk|noto serif cjk|droid sans fallback|文泉).*")),
                            "the Chinese title is drawn in a CJK font, not boxes: " + fonts);
                    browser.screenshot(shots.resolve("console-zh.png"));
                }
            }
        }
    }

    @Test
    void theCutoverStartsFromTheConsoleOnlyWithThePlansNameTyped() throws Exception {
        Assumptions.assumeTrue(Chromium.available(), "no chromium here (apt-get install chromium); CI installs it");
        try (org.apache.curator.test.TestingServer zkServer = new org.apache.curator.test.TestingServer(true);
                TestStores stores = new TestStores(false)) {
            org.apache.zookeeper.ZooKeeper zk = ClusterDrainIT.connect(zkServer.getConnectString());
            zk.create("/app", new byte[0], org.apache.zookeeper.ZooDefs.Ids.OPEN_ACL_UNSAFE, org.apache.zookeeper.CreateMode.PERSISTENT);
            zk.create("/app/storeType", "2".getBytes(StandardCharsets.UTF_8), org.apache.zookeeper.ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    org.apache.zookeeper.CreateMode.PERSISTENT);
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            put(stores.sourceClient, "src", "a.txt", "a".getBytes());
            Path plan = stores.work().resolve("switch-to-oss.txt");
            java.nio.file.Files.writeString(plan, "/app=storeType=4\n");
            int port = EventsIT.freePort();
            String token = "console-token-0123456789abcdef";
            List<String> args = stores.arguments("src:dst", "migration.events.mode=webhook", "migration.http.port=" + port,
                    "migration.events.webhook.token=" + WEBHOOK, "migration.cutover.zookeeper=" + zkServer.getConnectString(),
                    "migration.cutover.plan=" + plan, "migration.cutover.smoke-test=false");
            try (EventsIT.Running run = new EventsIT.Running(stores, args, Map.of("MIGRATION_HTTP_TOKEN", token));
                    DevTools browser = DevTools.open("en-US,en")) {
                browser.navigate("http://127.0.0.1:" + port + "/console");
                browser.waitUntil("the token field alone", "!document.getElementById('signin').hidden && !document.getElementById('token-row').hidden"
                        + " && document.getElementById('user-row').hidden");
                browser.type("#token", token);
                browser.click("#signin-button");
                browser.waitUntil("the cutover can start", "!document.getElementById('main').hidden && !document.getElementById('cutover').disabled");
                browser.click("#cutover");
                String dialog = browser.evaluate("document.getElementById('cutover-dialog-text').textContent").asText();
                assertTrue(dialog.contains("switch-to-oss.txt"), "the dialog names the plan: " + dialog);
                browser.type("#cutover-confirm", "switch-to-obs.txt");
                browser.click("#cutover-go");
                browser.waitUntil("the wrong name is refused", "document.getElementById('control-answer').textContent.includes('to confirm')");
                assertEquals("2", new String(zk.getData("/app/storeType", false, null), StandardCharsets.UTF_8), "nothing written");

                browser.click("#cutover");
                browser.type("#cutover-confirm", "switch-to-oss.txt");
                browser.click("#cutover-go");
                Wait.until("ZooKeeper holds the plan's value", Duration.ofSeconds(60), () -> {
                    try {
                        return "4".equals(new String(zk.getData("/app/storeType", false, null), StandardCharsets.UTF_8));
                    } catch (Exception e) {
                        return false;
                    }
                });
                Wait.until("the run prints what the cutover changed", Duration.ofSeconds(60), () -> run.output().contains("storeType: 2 -> 4"));
                // the run goes on as the fallback sync (MinIO kept level), its console with it
                browser.waitUntil("the page shows the fallback window", "document.querySelector('#mappings tbody tr').textContent.includes('dst -> src')"
                        + " && document.querySelector('#mappings tbody tr').textContent.includes('fallback')"
                        + " && document.getElementById('cutover-ready').textContent.includes('Cut over')");
                assertFalse(run.output().contains(token), "the token is in no line");
            } finally {
                zk.close();
            }
        }
    }

    static JsonNode at(JsonNode json, String path) {
        JsonNode node = json;
        for (String part : path.split("\\.")) {
            node = part.matches("\\d+") ? node.path(Integer.parseInt(part)) : node.path(part);
        }
        return node;
    }
}
