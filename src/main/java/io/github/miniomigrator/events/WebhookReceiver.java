package io.github.miniomigrator.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The webhook route's step: MinIO's notify_webhook POSTs here with its bearer token; 200, 401 or 400. */
public final class WebhookReceiver {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookReceiver.class);
    private final byte[] expected;
    private final EventIntake intake;

    public WebhookReceiver(String token, EventIntake intake) {
        this.expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.intake = intake;
    }

    public void receive(Exchange exchange) {
        Message in = exchange.getIn();
        String authorization = in.getHeader("Authorization", String.class);
        // constant time, so the token cannot be guessed byte by byte
        if (authorization == null || !MessageDigest.isEqual(expected, authorization.trim().getBytes(StandardCharsets.UTF_8))) {
            respond(exchange, 401, "missing or wrong bearer token: set notify_webhook auth_token to migration.events.webhook.token\n");
            return;
        }
        String body = in.getBody(String.class);
        try {
            int keys = intake.accept(body == null ? "" : body, MinioEventParser.KeyEncoding.QUERY_ESCAPED);
            respond(exchange, 200, "accepted " + keys + "\n");
        } catch (MalformedEventException e) {
            LOG.warn("webhook body refused: {}", e.getMessage());
            respond(exchange, 400, "not a MinIO event: " + e.getMessage() + "\n");
        }
    }

    private static void respond(Exchange exchange, int status, String text) {
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
        out.setBody(text);
    }
}
