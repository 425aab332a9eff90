package io.github.miniomigrator.hooks;

import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.i18n.Messages;
import java.time.Instant;
import org.apache.camel.Exchange;

/**
 * What a per-object step did to one key, put on the exchange by the step itself ({@link #putOn}): the header
 * {@value HookPayload#OUTCOME} holds {@link #outcome}, the property {@value HookPayload#PROPERTY} this record. The
 * routes after the step (and an integrator's own steps) read them; the hooks send its JSON.
 *
 * @param outcome COPIED (written to the target), GONE (deleted from the source meanwhile: nothing to copy), FAILED (the
 *     copy failed; {@code reason} says why), DELETED (removed from the target: the source lacks it), DELETE_FAILED
 * @param size the object's size as read (copied) or listed; -1 when unknown
 * @param etag the object's ETag as read or listed; null when unknown
 * @param reason why it failed, as the store answered; null unless failed
 */
public record ObjectOutcome(String outcome, String sourceBucket, String key, String targetBucket, String targetKey, long size, String etag,
        String reason, String time) implements HookPayload {
    public static final String COPIED = "COPIED";
    public static final String GONE = "GONE";
    public static final String FAILED = "FAILED";
    public static final String DELETED = "DELETED";
    public static final String DELETE_FAILED = "DELETE_FAILED";

    public static ObjectOutcome of(String outcome, BucketMapping mapping, String key, long size, String etag, String reason) {
        return new ObjectOutcome(outcome, mapping.sourceBucket(), key, mapping.targetBucket(), mapping.targetKey(key), size, etag, reason,
                Instant.now().toString());
    }

    /** Sets the header and the property a hook's filter and message read. */
    public ObjectOutcome putOn(Exchange exchange) {
        exchange.getMessage().setHeader(OUTCOME, outcome);
        exchange.setProperty(PROPERTY, this);
        return this;
    }

    @Override
    public String json() {
        return HookPayload.json(this);
    }

    @Override
    public String line() {
        String source = sourceBucket + "/" + key;
        String target = targetBucket + "/" + targetKey;
        return switch (outcome) {
            case COPIED -> Messages.text("cli.hook.line.copied", source, target, size);
            case GONE -> Messages.text("cli.hook.line.gone", source);
            case FAILED -> Messages.text("cli.hook.line.copy-failed", source, target, reason);
            case DELETED -> Messages.text("cli.hook.line.deleted", target);
            case DELETE_FAILED -> Messages.text("cli.hook.line.delete-failed", target, reason);
            default -> outcome + " " + source;
        };
    }
}
