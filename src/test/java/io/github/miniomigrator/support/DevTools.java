package io.github.miniomigrator.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Debian's headless Chromium driven over the DevTools protocol (a WebSocket, Java's own client): a page that runs its
 * scripts, is clicked and typed into, and is read back — as a person at the console would use it. One page per instance.
 */
public final class DevTools implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> waiting = new ConcurrentHashMap<>();

    private DevTools(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    /** A browser with one blank page; its Accept-Language as given (e.g. "zh-CN,zh;q=0.9" or "en-US,en"). */
    public static DevTools open(String acceptLanguage) throws Exception {
        String language = acceptLanguage.split("[,;]")[0];
        Path profile = Files.createTempDirectory("chromium-profile");
        Process process = new ProcessBuilder(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--remote-debugging-port=0", "--remote-allow-origins=*", "--lang=" + language, "--accept-lang=" + acceptLanguage, "--window-size=1400,1400", "--user-data-dir=" + profile,
                "about:blank")).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String browserSocket = listening(process);
        String debugging = "http://" + URI.create(browserSocket).getAuthority();
        HttpClient http = HttpClient.newHttpClient();
        String page = null;
        for (int i = 0; i < 100 && page == null; i++) {
            JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(debugging + "/json/list")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            for (JsonNode target : targets) {
                if (target.path("type").asText().equals("page")) {
                    page = target.path("webSocketDebuggerUrl").asText();
                }
            }
            if (page == null) {
                Thread.sleep(100);
            }
        }
        if (page == null) {
            process.destroyForcibly();
            throw new AssertionError("chromium opened no page");
        }
        DevTools[] self = new DevTools[1];
        StringBuilder partial = new StringBuilder();
        WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(page), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    String message = partial.toString();
                    partial.setLength(0);
                    self[0].received(message);
                }
                webSocket.request(1);
                return null;
            }
        }).get(30, TimeUnit.SECONDS);
        DevTools tools = new DevTools(process, profile, socket);
        self[0] = tools;
        String agent = tools.send("Browser.getVersion", Map.of()).path("userAgent").asText();
        tools.send("Network.enable", Map.of());
        tools.send("Network.setUserAgentOverride", Map.of("userAgent", agent, "acceptLanguage", acceptLanguage));
        tools.send("Page.enable", Map.of());
        tools.send("DOM.enable", Map.of());
        tools.send("CSS.enable", Map.of());
        return tools;
    }

    private static String listening(Process process) throws Exception {
        BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> found = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line; (line = err.readLine()) != null;) {
                    int at = line.indexOf("ws://");
                    if (line.startsWith("DevTools listening on") && at >= 0) {
                        return line.substring(at).trim();
                    }
                }
            } catch (java.io.IOException e) {
                // the browser ended
            }
            return null;
        });
        String url = found.get(60, TimeUnit.SECONDS);
        if (url == null) {
            process.destroyForcibly();
            throw new AssertionError("chromium did not start its DevTools server");
        }
        // the rest of stderr is drained so the browser never blocks writing to it
        Thread drain = new Thread(() -> {
            try {
                while (err.readLine() != null) {
                    // discarded
                }
            } catch (java.io.IOException e) {
                // ended
            }
        }, "chromium-stderr");
        drain.setDaemon(true);
        drain.start();
        return url;
    }

    private void received(String message) {
        try {
            JsonNode node = JSON.readTree(message);
            if (node.has("id")) {
                CompletableFuture<JsonNode> future = waiting.remove(node.get("id").asInt());
                if (future != null) {
                    if (node.has("error")) {
                        future.completeExceptionally(new AssertionError("DevTools: " + node.get("error")));
                    } else {
                        future.complete(node.path("result"));
                    }
                }
            }
        } catch (Exception e) {
            // not JSON: ignored
        }
    }

    /** One DevTools command and its result. */
    public JsonNode send(String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode message = JSON.createObjectNode();
        message.put("id", id);
        message.put("method", method);
        message.set("params", JSON.valueToTree(params));
        CompletableFuture<JsonNode> future = new CompletableFuture<>();
        waiting.put(id, future);
        socket.sendText(JSON.writeValueAsString(message), true).get(30, TimeUnit.SECONDS);
        return future.get(60, TimeUnit.SECONDS);
    }

    public void navigate(String url) throws Exception {
        send("Page.navigate", Map.of("url", url));
        waitFor("the page " + url + " loaded", Duration.ofSeconds(60), () -> "complete".equals(evaluateQuietly("document.readyState").asText()));
    }

    /** A script's value (a promise awaited), as JSON. */
    public JsonNode evaluate(String expression) throws Exception {
        JsonNode result = send("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
        if (result.has("exceptionDetails")) {
            throw new AssertionError("the page's script failed: " + result.get("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    private JsonNode evaluateQuietly(String expression) {
        try {
            return evaluate(expression);
        } catch (Exception | AssertionError e) {
            return JSON.nullNode();
        }
    }

    /** Waits until the script is true in the page. */
    public void waitUntil(String what, String expression) {
        try {
            waitFor(what, Duration.ofSeconds(60), () -> evaluateQuietly(expression).asBoolean(false));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the page shows: " + evaluateQuietly("document.body.innerText"), e);
        }
    }

    private static void waitFor(String what, Duration limit, BooleanSupplier condition) {
        Wait.until(what, limit, condition::getAsBoolean);
    }

    public void click(String selector) throws Exception {
        evaluate("document.querySelector(" + JSON.writeValueAsString(selector) + ").click(); true");
    }

    public void type(String selector, String text) throws Exception {
        evaluate("(() => { const e = document.querySelector(" + JSON.writeValueAsString(selector) + "); e.value = "
                + JSON.writeValueAsString(text) + "; e.dispatchEvent(new Event('input')); return true; })()");
    }

    /** The fonts the browser drew an element's text with (family names), as it reports them. */
    public List<String> fontsOf(String selector) throws Exception {
        int root = send("DOM.getDocument", Map.of()).path("root").path("nodeId").asInt();
        int node = send("DOM.querySelector", Map.of("nodeId", root, "selector", selector)).path("nodeId").asInt();
        List<String> fonts = new ArrayList<>();
        for (JsonNode font : send("CSS.getPlatformFontsForNode", Map.of("nodeId", node)).path("fonts")) {
            fonts.add(font.path("familyName").asText() + " (" + font.path("glyphCount").asInt() + " glyphs)");
        }
        return fonts;
    }

    public void screenshot(Path file) throws Exception {
        String png = send("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true)).path("data").asText();
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode(png));
    }

    @Override
    public void close() throws Exception {
        try {
            socket.abort();
        } finally {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (Exception e) {
                // a temporary folder left
            }
        }
    }
}
