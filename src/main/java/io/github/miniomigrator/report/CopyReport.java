package io.github.miniomigrator.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.github.miniomigrator.SecretMask;
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
        text.append(String.format(Locale.ROOT, "%-34s %9s %10s %9s %10s %9s %8s %7s %8s%n", "mapping", "copied", "bytes", "identical",
                "bytes", "deleted", "failed", "gone", "seconds"));
        for (PassSummary p : mappings) {
            String name = p.sourceBucket() + " -> " + p.targetBucket() + (p.targetPrefix().isEmpty() ? "" : "/" + p.targetPrefix());
            text.append(String.format(Locale.ROOT, "%-34s %9d %10s %9d %10s %9d %8d %7d %8.1f%n", name, p.copiedObjects(),
                    Sizes.human(p.copiedBytes()), p.identicalObjects(), Sizes.human(p.identicalBytes()), p.deletedObjects(),
                    p.failedObjects(), p.goneObjects(), p.seconds()));
            text.append(String.format(Locale.ROOT, "  source %d objects (%s), target had %d (%s); %.1f objects/s, %s/s; %d retries%n",
                    p.sourceObjects(), Sizes.human(p.sourceBytes()), p.targetObjectsBefore(), Sizes.human(p.targetBytesBefore()),
                    p.objectsPerSecond(), Sizes.human((long) p.bytesPerSecond()), p.retries()));
            if (p.rewrites() > 0) {
                text.append("  ").append(p.rewrites()).append(" writes again: the source changed while the key was written "
                        + "(another instance's copy, or a busy key)\n");
            }
            if (p.extraObjects() > 0 && p.deletedObjects() == 0) {
                // with remove on, the deletes were refused for a reason the pass recorded: say that one, not how to turn remove on
                text.append("  ").append(p.extraObjects()).append(" target objects are not in the source (")
                        .append(p.extrasKept() != null ? p.extrasKept() : "migration.remove=true deletes them").append(")")
                        .append(KeySample.egTail(p.extraSample(), p.extraObjects())).append('\n');
            }
            if (p.passError() != null) {
                text.append("  ERROR: ").append(p.passError()).append('\n');
            }
            p.failures().stream().limit(20).forEach(f -> text.append("  failed: ").append(f).append('\n'));
            if (p.failedObjects() > 20) {
                text.append("  ... ").append(p.failedObjects() - 20).append(" more failures in the JSON report\n");
            }
            p.metadataKeyRenames().forEach((rename, objects) -> text.append("  metadata key ").append(rename).append(" on ")
                    .append(objects).append(" objects: the target accepts only letters, digits and hyphens\n"));
            p.notes().stream().limit(10).forEach(n -> text.append("  note: ").append(n).append('\n'));
        }
        text.append("Target: storage class ").append(storageClass).append("; bodies sent ").append(payload).append('\n');
        text.append(ok() ? "Result: every object is in place.\n" : "Result: FAILED — see the errors above; re-running copies only what is missing.\n");
        out.print(mask.apply(text.toString()));
        out.flush();
    }
}
