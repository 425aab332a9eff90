package io.github.miniomigrator.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.miniomigrator.config.SettingsException;
import io.github.miniomigrator.copy.Bandwidth;
import io.github.miniomigrator.report.Sizes;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's controls (POST /observe/control/ACTION): pause and resume the copies (copy-object suspended, as over
 * JMX: copies wait, events queue, nothing is lost), the bandwidth limit (an override of migration.bandwidth until
 * cleared or a restart), and the cutover (the cutover route, with a confirmation that names the plan). Only with
 * credentials set — the guard in front of /observe has checked them by the time a request gets here — and only from
 * the console's own page: a request must say it is one (header X-Migrator-Console, which a form on another site cannot
 * send and a script there cannot without this server's consent, which it never gives), carry JSON, and come from this
 * origin when the browser names one (Origin, Sec-Fetch-Site), so another site open in the same browser cannot press a
 * button with the credentials the browser keeps.
 */
final class ConsoleControls {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleControls.class);
    static final String HEADER = "X-Migrator-Console";
    static final String COPY_ROUTE = "copy-object";
    static final String CUTOVER_ROUTE = "cutover";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An answer: the HTTP status and a message for the page. */
    record Answer(int status, String message) {
        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ok", status < 300);
            m.put("message", message);
            return m;
        }
    }

    private final CamelContext context;
    private final Bandwidth bandwidth;
    private final boolean enabled;
    private final String disabledBecause;
    private final ConsoleStatusView status;

    /** What a cutover needs to know of the run: whether it could start, and the plan's name the operator must confirm. */
    interface ConsoleStatusView {
        Map<String, Object> cutover();
    }

    ConsoleControls(CamelContext context, Bandwidth bandwidth, boolean enabled, String disabledBecause, ConsoleStatusView status) {
        this.context = context;
        this.bandwidth = bandwidth;
        this.enabled = enabled;
        this.disabledBecause = disabledBecause;
        this.status = status;
    }

    /**
     * @param header a request header by name (case-insensitive), null when absent
     * @param host the Host the request was sent to (host:port)
     */
    Answer handle(String action, String body, Function<String, String> header, String host, String remote) {
        Answer refused = refusal(header, host);
        if (refused != null) {
            LOG.warn("console control '{}' from {} refused: {}", action, remote, refused.message());
            return refused;
        }
        JsonNode request;
        try {
            request = body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (java.io.IOException e) {
            return new Answer(400, "the body is not JSON");
        }
        Answer answer = switch (action) {
            case "pause" -> pause();
            case "resume" -> resume();
            case "bandwidth" -> bandwidth(request.path("limit").asText(""));
            case "cutover" -> cutover(request.path("confirm").asText(""));
            default -> new Answer(404, "no control '" + action + "': pause, resume, bandwidth or cutover");
        };
        LOG.info("console control '{}' from {}: {}", action, remote, answer.message());
        return answer;
    }

    /** Why the request may not press anything, or null when it may. */
    private Answer refusal(Function<String, String> header, String host) {
        if (!enabled) {
            return new Answer(403, "the controls are off: " + disabledBecause);
        }
        if (!"1".equals(header.apply(HEADER))) {
            return new Answer(403, "not from the console page (no " + HEADER + " header)");
        }
        String type = header.apply("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            return new Answer(415, "send application/json");
        }
        String site = header.apply("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            return new Answer(403, "a request from another site (" + site + ")");
        }
        String origin = header.apply("Origin");
        // behind a reverse proxy that sends its own Host upstream, the browser's host is in X-Forwarded-Host: a page on
        // another site cannot set that header without a CORS preflight, which this server never answers
        if (origin != null && !origin.equals("null") && !sameHost(origin, host) && !sameHost(origin, forwardedHost(header))) {
            return new Answer(403, "a request from another origin");
        }
        if ("null".equals(origin)) {
            return new Answer(403, "a request from an opaque origin");
        }
        return null;
    }

    /** The first X-Forwarded-Host (the client-facing one where proxies chain), or null. */
    private static String forwardedHost(Function<String, String> header) {
        String forwarded = header.apply("X-Forwarded-Host");
        return forwarded == null || forwarded.isBlank() ? null : forwarded.split(",")[0].strip();
    }

    private static boolean sameHost(String origin, String host) {
        if (host == null) {
            return false;
        }
        String bare = origin.replaceFirst("^https?://", "");
        return bare.equalsIgnoreCase(host);
    }

    boolean paused() {
        ServiceStatus s = context.getRouteController().getRouteStatus(COPY_ROUTE);
        return s != null && s.isSuspended();
    }

    private Answer pause() {
        try {
            if (paused()) {
                return new Answer(200, "paused already");
            }
            context.getRouteController().suspendRoute(COPY_ROUTE);
            return new Answer(200, "paused: copies wait, events queue; resume to go on");
        } catch (Exception e) {
            return new Answer(500, "could not pause: " + e.getMessage());
        }
    }

    private Answer resume() {
        try {
            if (!paused()) {
                return new Answer(200, "running already");
            }
            context.getRouteController().resumeRoute(COPY_ROUTE);
            return new Answer(200, "resumed");
        } catch (Exception e) {
            return new Answer(500, "could not resume: " + e.getMessage());
        }
    }

    private Answer bandwidth(String limit) {
        if (limit.isBlank() || limit.equalsIgnoreCase("setting")) {
            bandwidth.clearOverride();
            return new Answer(200, "bandwidth: migration.bandwidth again (" + bandwidth.describe() + ")");
        }
        try {
            bandwidth.override(limit);
        } catch (SettingsException e) {
            return new Answer(400, e.getMessage());
        }
        long now = bandwidth.limitNow();
        return new Answer(200, "bandwidth: " + (now == 0 ? "no limit" : Sizes.human(now) + "/s") + " until changed or restarted");
    }

    private Answer cutover(String confirm) {
        Map<String, Object> cutover = status.cutover();
        Object plan = cutover.get("plan");
        if (Boolean.TRUE.equals(cutover.get("running"))) {
            return new Answer(409, "a cutover is under way");
        }
        if (!Boolean.TRUE.equals(cutover.get("ready"))) {
            return new Answer(409, "the cutover cannot start: " + reasons(cutover.get("why")));
        }
        if (plan == null || !plan.toString().equals(confirm.strip())) {
            return new Answer(400, "type the plan's name (" + plan + ") to confirm the cutover");
        }
        try {
            ServiceStatus s = context.getRouteController().getRouteStatus(CUTOVER_ROUTE);
            if (s == null) {
                return new Answer(409, "this run has no cutover route");
            }
            if (s.isStarted() || s.isSuspended()) {
                context.getRouteController().stopRoute(CUTOVER_ROUTE); // the last cutover's, finished: started again to repeat
            }
            context.getRouteController().startRoute(CUTOVER_ROUTE);
            return new Answer(202, "cutover started with plan " + plan + ": follow it below and in the log");
        } catch (Exception e) {
            return new Answer(500, "could not start the cutover: " + e.getMessage());
        }
    }

    /** The status's reasons ({text, key, args} each), their English texts joined. */
    private static String reasons(Object why) {
        if (!(why instanceof java.util.List<?> list)) {
            return "";
        }
        return String.join("; ", list.stream().map(r -> r instanceof Map<?, ?> m ? String.valueOf(m.get("text")) : String.valueOf(r)).toList());
    }
}
