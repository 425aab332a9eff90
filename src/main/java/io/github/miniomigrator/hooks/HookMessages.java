package io.github.miniomigrator.hooks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.miniomigrator.SecretMask;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bean the hook routes call (routes/hook-*.yaml): the payload's JSON for the hook endpoint, a WeCom / DingTalk
 * robot's text message made from its line, and the warning when an endpoint refused (the outcome it carried stands).
 */
public final class HookMessages {
    private static final Logger LOG = LoggerFactory.getLogger(HookMessages.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Of a URL in an endpoint's message only its scheme and host reach a log line: a robot's key=… is in the query, a
     * Feishu or Slack webhook's token in the path.
     */
    private static final Pattern URL_PAST_HOST = Pattern.compile("(\\b[a-zA-Z][a-zA-Z0-9+.-]*://[^/\\s?#]*)[/?#]\\S*");
    private final SecretMask mask;
    private final String robotUrl;

    /** @param robotUrl migration.hooks.robot-url: the robot's webhook address (a secret: its key is in it), or empty */
    public HookMessages(SecretMask mask, String robotUrl) {
        this.mask = mask;
        this.robotUrl = robotUrl;
    }

    /** The robot's webhook address, for the robot route's CamelHttpUri header (never an endpoint URI: JMX shows those). */
    public String robotUrl() {
        return robotUrl;
    }

    /** The payload's JSON: what every hook endpoint receives as its body. */
    public String json(Exchange exchange) {
        return payload(exchange).json();
    }

    /**
     * A robot's text message, {"msgtype":"text","text":{"content":"…"}}: the body WeCom's group robot and DingTalk's
     * custom robot both take. Every line starts with "minio-migrator", a keyword a DingTalk robot's security setting can ask for.
     */
    public String robotText(Exchange exchange) {
        ObjectNode message = JSON.createObjectNode();
        message.put("msgtype", "text");
        message.putObject("text").put("content", payload(exchange).line());
        return message.toString();
    }

    /** One line for a person, in the process's language. */
    public String line(Exchange exchange) {
        return payload(exchange).line();
    }

    /** A hook endpoint refused or could not be reached: a warning naming the hook; nothing else changes. */
    public void failed(String hook, @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception cause) {
        String why = cause == null ? "unknown" : cause.getClass().getSimpleName() + ": " + String.valueOf(cause.getMessage());
        io.github.miniomigrator.logging.FailureBursts.failed(LOG, "hook calls", "the outcomes they carried stand",
                "hook " + hook + " (migration.hooks." + hook + ") could not deliver: " + mask.apply(withoutUrlPaths(why)),
                mask.apply(withoutUrlPaths(why)));
    }

    /** The text with every URL cut after its host. */
    static String withoutUrlPaths(String text) {
        return URL_PAST_HOST.matcher(text).replaceAll("$1/…");
    }

    private static HookPayload payload(Exchange exchange) {
        HookPayload payload = exchange.getProperty(HookPayload.PROPERTY, HookPayload.class);
        if (payload == null) {
            throw new IllegalStateException("no " + HookPayload.PROPERTY + " on the exchange: a hook route was called from a step without an outcome");
        }
        return payload;
    }
}
