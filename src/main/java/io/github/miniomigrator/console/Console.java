package io.github.miniomigrator.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.miniomigrator.config.Setting;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.copy.Bandwidth;
import io.github.miniomigrator.i18n.Language;
import io.github.miniomigrator.i18n.Messages;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;

/**
 * The console of a running `run`, on its HTTP port: the page (/console: HTML, CSS and a little JavaScript from the jar,
 * in English or Chinese by the browser's language), its JSON (/observe/status, for scripts too), its controls
 * (/observe/control/…) and the report files (/observe/reports/…). The page holds no data: every number and every
 * control goes through /observe, behind the same credentials as health and metrics.
 */
public final class Console implements AutoCloseable {
    static final String PAGE = "/console";
    static final String STATUS = "/observe/status";
    static final String CONTROL = "/observe/control";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> ASSETS = Map.of("", "index.html", "/", "index.html", "/app.js", "app.js", "/app.css",
            "app.css");

    private final ConsoleStatus status;
    private final ConsoleControls controls;
    private final Reports reports;
    private final ScheduledExecutorService timer;

    private Console(ConsoleStatus status, ConsoleControls controls, Reports reports) {
        this.status = status;
        this.controls = controls;
        this.reports = reports;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "console-rate");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Adds the console's routes to a started context and starts sampling the rate.
     *
     * @param credentialsSet whether /observe is behind credentials: the controls work only then
     * @param movedBytes the bytes every pass of the process has moved so far, in-flight parts included
     */
    public static Console start(CamelContext context, Settings settings, RunState run, Bandwidth bandwidth, LongSupplier movedBytes,
            boolean credentialsSet) throws Exception {
        RateSamples rate = new RateSamples();
        ConsoleControls[] controls = new ConsoleControls[1];
        ConsoleStatus status = new ConsoleStatus(settings, run, bandwidth, rate, movedBytes, () -> controls[0].paused(), credentialsSet);
        controls[0] = new ConsoleControls(context, bandwidth, credentialsSet, "set " + Setting.HTTP_TOKEN.key() + " (or "
                + Setting.HTTP_USERNAME.key() + " and " + Setting.HTTP_PASSWORD.key() + ") so that only those with them can press a button",
                status::cutover);
        Console console = new Console(status, controls[0], new Reports(Path.of(settings.get(Setting.REPORT_DIR))));
        context.addRoutes(console.routes());
        console.timer.scheduleAtFixedRate(status::sample, 0, 2, TimeUnit.SECONDS);
        return console;
    }

    /** The snapshot /observe/status answers, for tests and scripts inside the process. */
    public Map<String, Object> snapshot() {
        return status.snapshot();
    }

    RouteBuilder routes() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("platform-http:" + PAGE + "?httpMethodRestrict=GET&matchOnUriPrefix=true").routeId("console-page")
                        .process(exchange -> page(exchange));
                from("platform-http:/?httpMethodRestrict=GET").routeId("console-root")
                        .process(exchange -> {
                            reset(exchange.getMessage());
                            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 302);
                            exchange.getMessage().setHeader("Location", PAGE);
                            exchange.getMessage().setBody("");
                        });
                from("platform-http:" + STATUS + "?httpMethodRestrict=GET").routeId("console-status")
                        .process(exchange -> json(exchange.getMessage(), 200, status.snapshot()));
                from("platform-http:" + CONTROL + "?httpMethodRestrict=POST&matchOnUriPrefix=true").routeId("console-control")
                        .process(exchange -> control(exchange));
                from("platform-http:" + Reports.PATH + "?httpMethodRestrict=GET&matchOnUriPrefix=true").routeId("console-reports")
                        .process(exchange -> report(exchange));
            }
        };
    }

    private static String rest(Exchange exchange, String prefix) {
        String uri = exchange.getMessage().getHeader(Exchange.HTTP_URI, String.class);
        String path = uri == null ? "" : uri.replaceFirst("\\?.*$", "");
        return path.startsWith(prefix) ? path.substring(prefix.length()) : path;
    }

    private void page(Exchange exchange) throws IOException {
        Message message = exchange.getMessage();
        String rest = rest(exchange, PAGE);
        if (rest.equals("/messages")) {
            String asked = message.getHeader("lang", String.class);
            Language language = asked != null && !asked.isBlank() ? Language.fromAcceptLanguage(asked)
                    : Language.fromAcceptLanguage(message.getHeader("Accept-Language", String.class));
            Map<String, Object> body = new java.util.LinkedHashMap<>();
            body.put("language", language.code());
            body.put("messages", Messages.of(language).area("console"));
            json(message, 200, body);
            return;
        }
        String asset = ASSETS.get(rest);
        if (asset == null) {
            text(message, 404, "no such page: the console is at " + PAGE);
            return;
        }
        try (InputStream in = Console.class.getResourceAsStream("/console/" + asset)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks console/" + asset);
            }
                reset(message);
            message.setBody(in.readAllBytes());
        }
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setHeader(Exchange.CONTENT_TYPE, asset.endsWith(".html") ? "text/html; charset=utf-8"
                : asset.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8");
        secure(message);
    }

    private void control(Exchange exchange) {
        Message message = exchange.getMessage();
        String action = rest(exchange, CONTROL).replaceFirst("^/", "");
        String host = message.getHeader("Host", String.class);
        String remote = String.valueOf(message.getHeader("CamelVertxPlatformHttpRemoteAddress", ""));
        ConsoleControls.Answer answer = controls.handle(action, message.getBody(String.class), name -> message.getHeader(name, String.class),
                host, remote.isEmpty() ? "a client" : remote);
        json(message, answer.status(), answer.json());
    }

    private void report(Exchange exchange) throws IOException {
        Message message = exchange.getMessage();
        String name = rest(exchange, Reports.PATH).replaceFirst("^/", "");
        java.util.Optional<Reports.File> file = reports.read(name.isEmpty() ? io.github.miniomigrator.report.ReportIndex.FILE : name);
        if (file.isEmpty()) {
            text(message, 404, "no report '" + name + "' in migration.report.dir");
            return;
        }
        reset(message);
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setHeader(Exchange.CONTENT_TYPE, file.get().contentType());
        message.setBody(file.get().body());
        secure(message);
    }

    /** No framing (a button under another site's page), no sniffing, scripts and styles from this server alone. */
    private static void secure(Message message) {
        message.setHeader("X-Frame-Options", "DENY");
        message.setHeader("X-Content-Type-Options", "nosniff");
        message.setHeader("Referrer-Policy", "no-referrer");
        message.setHeader("Content-Security-Policy",
                "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
                        + "base-uri 'none'; form-action 'none'");
        message.setHeader("Cache-Control", "no-store");
    }

    /** The request's headers are not the answer's: none of them (Authorization least of all) goes back. */
    private static void reset(Message message) {
        message.removeHeaders("*");
    }

    private static void json(Message message, int status, Object body) {
        reset(message);
        try {
            message.setBody(JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        message.setHeader("Cache-Control", "no-store");
        message.setHeader("X-Content-Type-Options", "nosniff");
    }

    private static void text(Message message, int status, String body) {
        reset(message);
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
        message.setBody(body + "\n");
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
