package io.github.miniomigrator.hooks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.miniomigrator.i18n.Messages;
import io.github.miniomigrator.report.CopyReport;
import io.github.miniomigrator.report.PassSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pass's report, once written, for the pass-finished route (routes/pass-finished.yaml) and its hook: the JSON is the
 * report file's own (secrets masked as written) with the file's path beside; the header says OK or FAILED.
 *
 * @param kind what the pass was, in words ("copy", "full pass", "catch-up pass" …)
 */
public record PassFinished(String kind, CopyReport report, Path file) implements HookPayload {
    private static final Logger LOG = LoggerFactory.getLogger(PassFinished.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String ROUTE = "direct:pass-finished";

    /** Hands the report to the pass-finished route; a failure there is a warning, never the pass's. */
    public static void send(ProducerTemplate producer, String kind, CopyReport report, Path file) {
        PassFinished finished = new PassFinished(kind, report, file);
        try {
            producer.send(ROUTE, exchange -> {
                exchange.getMessage().setHeader(OUTCOME, report.ok() ? "OK" : "FAILED");
                exchange.setProperty(PROPERTY, finished);
            });
        } catch (RuntimeException e) {
            LOG.warn("the pass-finished route could not take the report {}: {}", file, e.getMessage());
        }
    }

    @Override
    public String json() {
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(Files.readString(file));
            root.put("kind", kind);
            root.put("reportFile", file.toAbsolutePath().toString());
            return root.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String line() {
        long copied = 0;
        long identical = 0;
        long deleted = 0;
        long failed = 0;
        for (PassSummary pass : report.mappings()) {
            copied += pass.copiedObjects();
            identical += pass.identicalObjects();
            deleted += pass.deletedObjects();
            failed += pass.failedObjects();
        }
        String name = file.getFileName().toString();
        return report.ok() ? Messages.text("cli.hook.line.pass-ok", kind, copied, identical, deleted, name)
                : Messages.text("cli.hook.line.pass-failed", kind, copied, failed, deleted, name);
    }
}
