package io.github.miniomigrator.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.github.miniomigrator.SecretMask;
import io.github.miniomigrator.i18n.Messages;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** The summary of a copy run: a table on the console and a JSON file in migration.report.dir, secrets masked in both. */
/**
 * @param storageClass the class objects were written with
 * @param payload how bodies went out: UNSIGNED-PAYLOAD, or signed where the target refused that
 */
public record CopyReport(String command, Instant started, Instant finished, String result, String storageClass, String payload,
        List<PassSummary> mappings) {
    public static CopyReport of(String command, Instant started, String storageClass, String payload, List<PassSummary> passes) {
        boolean ok = passes.stream().allMatch(PassSummary::ok);
        return new CopyReport(command, started, Instant.now(), ok ? "ok" : "failed", storageClass, payload, passes);
    }

    public boolean ok() {
        return "ok".equals(result);
    }

    public Path write(Path directory, SecretMask mask) throws IOException {
        Files.createDirectories(directory);
        Path file = directory.resolve(command + "-" + ReportFiles.stamp(finished) + ".json");
        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);
        Files.writeString(file, mask.apply(json.writeValueAsString(this)));
        Files.writeString(directory.resolve(command + "-" + ReportFiles.stamp(finished) + ".html"), mask.apply(HtmlReport.copy(this)));
        ReportIndex.update(directory);
        return file;
    }

    public void print(PrintStream out, SecretMask mask) {
        StringBuilder text = new StringBuilder();
        text.append(Messages.text("cli.copy.report.columns")).append('\n');
        for (PassSummary p : mappings) {
            printPass(text, p);
        }
        text.append(Messages.text("cli.copy.report.target", storageClassWords(), payloadWords())).append('\n');
        text.append(ok() ? Messages.text("cli.copy.report.ok") : Messages.text("cli.copy.report.failed")).append('\n');
        out.print(mask.apply(text.toString()));
        out.flush();
    }

    private static void printPass(StringBuilder text, PassSummary p) {
        String name = p.sourceBucket() + " -> " + p.targetBucket() + (p.targetPrefix().isEmpty() ? "" : "/" + p.targetPrefix());
        text.append(String.format(Locale.ROOT, "%-34s %9d %10s %9d %10s %9d %8d %7d %8.1f%n", name, p.copiedObjects(),
                Sizes.human(p.copiedBytes()), p.identicalObjects(), Sizes.human(p.identicalBytes()), p.deletedObjects(),
                p.failedObjects(), p.goneObjects(), p.seconds()));
        indented(text, Messages.text("cli.copy.report.source", p.sourceObjects(), Sizes.human(p.sourceBytes()), p.targetObjectsBefore(),
                Sizes.human(p.targetBytesBefore()), String.format(Locale.ROOT, "%.1f", p.objectsPerSecond()),
                Sizes.human((long) p.bytesPerSecond()), p.retries()));
        if (p.rewrites() > 0) {
            indented(text, Messages.text("cli.copy.report.rewrites", p.rewrites()));
        }
        if (p.extraObjects() > 0 && p.deletedObjects() == 0) {
            // with remove on, the deletes were refused for a reason the pass recorded: say that one, not how to turn remove on
            indented(text, Messages.text("cli.copy.report.extras", p.extraObjects(),
                    p.extrasKept() != null ? p.extrasKept() : Messages.text("cli.copy.report.extras-remove"),
                    KeySample.egTail(p.extraSample(), p.extraObjects())));
        }
        if (p.passError() != null) {
            indented(text, Messages.text("cli.report.error", p.passError()));
        }
        p.failures().stream().limit(20).forEach(f -> indented(text, Messages.text("cli.report.failed", f)));
        if (p.failedObjects() > 20) {
            indented(text, Messages.text("cli.copy.report.more-failures", p.failedObjects() - 20));
        }
        p.metadataKeyRenames().forEach((rename, objects) -> indented(text, Messages.text("cli.copy.report.metadata-rename", rename, objects)));
        p.notes().stream().limit(10).forEach(n -> indented(text, Messages.text("cli.report.note", n)));
    }

    private static void indented(StringBuilder text, String line) {
        text.append("  ").append(line).append('\n');
    }

    /** The storage class written, in the output's language where it is the bucket's default (no header sent). */
    private String storageClassWords() {
        return storageClass.equals(io.github.miniomigrator.config.StorageClass.DEFAULT.toString())
                ? Messages.text("cli.copy.report.default-storage-class") : storageClass;
    }

    /** How bodies went out, in the output's language (the JSON keeps {@link #payload} as it is). */
    private String payloadWords() {
        return payload.startsWith("signed") ? Messages.text("cli.copy.report.payload-signed")
                : payload.equals("as UNSIGNED-PAYLOAD") ? Messages.text("cli.copy.report.payload-unsigned") : payload;
    }
}
