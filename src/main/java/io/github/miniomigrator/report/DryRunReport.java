package io.github.miniomigrator.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.github.miniomigrator.SecretMask;
import io.github.miniomigrator.i18n.Language;
import io.github.miniomigrator.i18n.Messages;
import io.github.miniomigrator.copy.CopyPass;
import io.github.miniomigrator.copy.DryRun;
import io.github.miniomigrator.copy.PassStats;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * What `copy --dry-run` found: a summary on the console and a JSON file in migration.report.dir
 * ({@code dry-run-<time>.json}) listing every key a real pass would copy or delete, and every extra it would keep, each
 * with its reason. The keys are streamed from each pass's {@link DryRun} spool, so the file may be large and memory is
 * not; secrets are masked.
 */
public final class DryRunReport {
    /** One mapping's dry run: the pass's counts and the record of what it would do. */
    public record Mapping(String sourceBucket, String targetBucket, String targetPrefix, PassStats stats, DryRun plan) {
        public static Mapping of(CopyPass pass) {
            return new Mapping(pass.mapping().sourceBucket(), pass.mapping().targetBucket(), pass.mapping().targetPrefix(), pass.stats(),
                    pass.dryRun());
        }

        String name() {
            return sourceBucket + " -> " + targetBucket + (targetPrefix.isEmpty() ? "" : "/" + targetPrefix);
        }

        /** The dry run went through: both listings read, every key compared. */
        boolean ok() {
            return stats.clean();
        }
    }

    private final Instant started;
    private final Instant finished;
    private final List<Mapping> mappings;

    public DryRunReport(Instant started, Instant finished, List<Mapping> mappings) {
        this.started = started;
        this.finished = finished;
        this.mappings = List.copyOf(mappings);
    }

    public boolean ok() {
        return mappings.stream().allMatch(Mapping::ok);
    }

    /** "3 would be copied (12.0 KiB), 2 would be deleted, 5 identical; 1 extra kept" over all mappings, in English (the JSON's). */
    public String summary() {
        return summary(Messages.of(Language.EN));
    }

    private String summary(Messages messages) {
        long copy = 0;
        long bytes = 0;
        long delete = 0;
        long identical = 0;
        long kept = 0;
        for (Mapping m : mappings) {
            copy += m.plan().copyObjects.sum();
            bytes += m.plan().copyBytes.sum();
            delete += m.plan().deleteObjects.sum();
            identical += m.stats().identicalObjects.sum();
            kept += m.plan().keptObjects.sum();
        }
        return line(messages, copy, bytes, delete, identical, kept);
    }

    private static String line(Messages messages, long copy, long bytes, long delete, long identical, long kept) {
        String counts = messages.get("cli.dry-run.counts", copy, Sizes.human(bytes), delete, identical);
        return kept > 0 ? messages.get("cli.dry-run.counts-kept", counts, kept) : counts;
    }

    public void print(PrintStream out, SecretMask mask) {
        Messages messages = Messages.current();
        StringBuilder text = new StringBuilder();
        for (Mapping m : mappings) {
            PassStats s = m.stats();
            text.append(messages.get("cli.dry-run.mapping-line", m.name(), line(messages, m.plan().copyObjects.sum(), m.plan().copyBytes.sum(),
                    m.plan().deleteObjects.sum(), s.identicalObjects.sum(), m.plan().keptObjects.sum()))).append('\n');
            indented(text, messages.get("cli.dry-run.source", s.sourceObjects.sum(), Sizes.human(s.sourceBytes.sum()), s.targetObjects.sum(),
                    Sizes.human(s.targetBytes.sum())));
            if (s.extrasKept() != null) {
                indented(text, messages.get("cli.dry-run.extras-kept", s.extrasKept()));
            }
            if (s.passError() != null) {
                indented(text, messages.get("cli.report.error", s.passError()));
            }
            s.failures().stream().limit(20).forEach(f -> indented(text, messages.get("cli.report.failed", f)));
            s.notes().stream().limit(10).forEach(n -> indented(text, messages.get("cli.report.note", n)));
        }
        text.append(messages.get("cli.dry-run.done", summary(messages))).append('\n');
        if (!ok()) {
            text.append(messages.get("cli.dry-run.incomplete")).append('\n');
        }
        out.print(mask.apply(text.toString()));
        out.flush();
    }

    private static void indented(StringBuilder text, String line) {
        text.append("  ").append(line).append('\n');
    }

    /** Writes {@code dry-run-<time>.json} into the folder and returns its path. */
    public Path write(Path directory, SecretMask mask) throws IOException {
        Files.createDirectories(directory);
        Path file = directory.resolve("dry-run-" + ReportFiles.stamp(finished) + ".json");
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                JsonGenerator json = new JsonFactory().createGenerator(writer).useDefaultPrettyPrinter()) {
            json.writeStartObject();
            json.writeStringField("command", "copy --dry-run");
            json.writeStringField("started", started.toString());
            json.writeStringField("finished", finished.toString());
            json.writeStringField("result", ok() ? "ok" : "failed");
            json.writeStringField("summary", summary());
            json.writeArrayFieldStart("mappings");
            for (Mapping m : mappings) {
                writeMapping(json, m, mask);
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        Files.writeString(file.resolveSibling(file.getFileName().toString().replace(".json", ".html")),
                DryRunPage.of(summary(), ok(), mappings, mask), StandardCharsets.UTF_8);
        ReportIndex.update(directory);
        return file;
    }

    private static void writeMapping(JsonGenerator json, Mapping m, SecretMask mask) throws IOException {
        PassStats s = m.stats();
        DryRun plan = m.plan();
        json.writeStartObject();
        json.writeStringField("sourceBucket", m.sourceBucket());
        json.writeStringField("targetBucket", m.targetBucket());
        json.writeStringField("targetPrefix", m.targetPrefix());
        json.writeStringField("result", m.ok() ? "ok" : "failed");
        json.writeNumberField("sourceObjects", s.sourceObjects.sum());
        json.writeNumberField("sourceBytes", s.sourceBytes.sum());
        json.writeNumberField("targetObjects", s.targetObjects.sum());
        json.writeNumberField("targetBytes", s.targetBytes.sum());
        json.writeNumberField("wouldCopyObjects", plan.copyObjects.sum());
        json.writeNumberField("wouldCopyBytes", plan.copyBytes.sum());
        json.writeNumberField("wouldDeleteObjects", plan.deleteObjects.sum());
        json.writeNumberField("wouldKeepExtraObjects", plan.keptObjects.sum());
        json.writeNumberField("identicalObjects", s.identicalObjects.sum());
        json.writeNumberField("identicalBytes", s.identicalBytes.sum());
        json.writeNumberField("extraObjects", s.extraObjects.sum());
        json.writeNumberField("failedObjects", s.failedObjects.sum());
        json.writeStringField("extrasKept", s.extrasKept() == null ? null : mask.apply(s.extrasKept()));
        json.writeStringField("passError", s.passError() == null ? null : mask.apply(s.passError()));
        writeStrings(json, "failures", s.failures(), mask);
        writeStrings(json, "notes", s.notes(), mask);
        json.writeArrayFieldStart("keys");
        try {
            plan.forEachEntry(entry -> {
                try {
                    json.writeRawValue(mask.apply(entry));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void writeStrings(JsonGenerator json, String field, List<String> lines, SecretMask mask) throws IOException {
        json.writeArrayFieldStart(field);
        for (String line : lines) {
            json.writeString(mask.apply(line));
        }
        json.writeEndArray();
    }
}
