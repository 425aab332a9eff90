package io.github.miniomigrator.events;

import io.github.miniomigrator.logging.FailureBursts;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook route's step: S3 event records POSTed by MinIO's notify_webhook, Ceph RGW's HTTP push endpoint, or any
 * relay of AWS S3 records; 200, 401 or 400. A delivery is let in by either of two secrets, each compared in constant
 * time so neither can be guessed byte by byte:
 * <ul>
 * <li>{@code POST /minio/events} with {@code Authorization: Bearer <migration.events.webhook.token>} (MinIO's
 * auth_token);</li>
 * <li>{@code POST /minio/events/<migration.events.webhook.path-secret>}, for senders that cannot send a header (RGW
 * refuses an http push endpoint with user:password, and sends no token).</li>
 * </ul>
 * Nothing the sender sent as a secret (header, path) is ever logged or answered: a wrong one may be a real secret sent
 * to the wrong place. Every refused delivery is counted (migration_events_refused_total) and logged once per burst.
 */
public final class WebhookReceiver {
    /** The path the route listens on; the path secret, when set, follows it after a '/'. */
    public static final String PATH = "/minio/events";
    private static final Logger LOG = LoggerFactory.getLogger(WebhookReceiver.class);
    private static final String REMOTE_ADDRESS = "CamelVertxPlatformHttpRemoteAddress";
    private final byte[] expectedAuthorization;
    private final byte[] expectedPath;
    private final EventIntake intake;

    public WebhookReceiver(String token, EventIntake intake) {
        this(token, "", intake);
    }

    /** @param token the bearer token, empty: none admits; @param pathSecret the secret path segment, empty: none admits */
    public WebhookReceiver(String token, String pathSecret, EventIntake intake) {
        this.expectedAuthorization = token == null || token.isEmpty() ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.expectedPath = pathSecret == null || pathSecret.isEmpty() ? null : (PATH + "/" + pathSecret).getBytes(StandardCharsets.UTF_8);
        this.intake = intake;
    }

    public void receive(Exchange exchange) {
        Message in = exchange.getIn();
        String path = path(in);
        boolean bare = path.equals(PATH) || path.equals(PATH + "/");
        boolean admitted;
        if (bare) {
            String authorization = in.getHeader("Authorization", String.class);
            admitted = expectedAuthorization != null && authorization != null
                    && MessageDigest.isEqual(expectedAuthorization, authorization.trim().getBytes(StandardCharsets.UTF_8));
        } else {
            admitted = expectedPath != null && MessageDigest.isEqual(expectedPath, path.getBytes(StandardCharsets.UTF_8));
        }
        if (!admitted) {
            String why = bare ? "missing or wrong bearer token" : "wrong path secret";
            intake.refusedDelivery();
            // a kind of its own: a sender without the secret is another problem than a sender whose records are unreadable
            FailureBursts.failed(LOG, "webhook deliveries without the secret", "nothing of them was applied (each refused delivery "
                    + "counts in migration_events_refused_total)", "webhook delivery from " + remote(in) + " refused (401): " + why, "401 " + why);
            respond(exchange, 401, bare
                    ? "missing or wrong bearer token: set notify_webhook auth_token to migration.events.webhook.token, or push to "
                            + PATH + "/<migration.events.webhook.path-secret>\n"
                    : "wrong path: push to " + PATH + "/<migration.events.webhook.path-secret>\n");
            return;
        }
        String body = in.getBody(String.class);
        try {
            int keys = intake.accept(body == null ? "" : body, MinioEventParser.KeyEncoding.QUERY_ESCAPED);
            respond(exchange, 200, "accepted " + keys + "\n");
        } catch (MalformedEventException e) {
            intake.refusedDelivery();
            FailureBursts.failed(LOG, "webhook deliveries of unreadable records", "nothing of them was applied (each refused delivery counts in "
                    + "migration_events_refused_total)", "webhook delivery from " + remote(in) + " refused (400): " + e.getMessage(),
                    "400 not S3 event records the tool can read");
            respond(exchange, 400, "not S3 event records the tool can read: " + e.getMessage() + "\n");
        }
    }

    /** The request's path, without the query. */
    private static String path(Message in) {
        String uri = in.getHeader(Exchange.HTTP_URI, String.class);
        if (uri == null) {
            return PATH;
        }
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    private static String remote(Message in) {
        Object address = in.getHeader(REMOTE_ADDRESS);
        return address == null ? "an unknown address" : String.valueOf(address);
    }

    private static void respond(Exchange exchange, int status, String text) {
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
        out.setBody(text);
    }
}
