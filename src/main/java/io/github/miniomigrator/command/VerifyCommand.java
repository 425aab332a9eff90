package io.github.miniomigrator.command;

import io.github.miniomigrator.report.ReportFiles;
import io.github.miniomigrator.MigrationRuntime;
import io.github.miniomigrator.SecretMask;
import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.config.Setting;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.config.SettingsException;
import io.github.miniomigrator.copy.CopyPass;
import io.github.miniomigrator.i18n.Messages;
import io.github.miniomigrator.store.StoreException;
import io.github.miniomigrator.verify.SampleChecker;
import io.github.miniomigrator.verify.VerifyReport;
import io.github.miniomigrator.verify.VerifySummary;
import io.github.miniomigrator.verify.VerifyTally;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** `verify`: compares every mapping without writing anything; exit 0 identical, 1 differences, 2 could not compare. */
public final class VerifyCommand {
    public static final int EXIT_COULD_NOT_COMPARE = 2;

    private VerifyCommand() {
    }

    public static int run(Settings settings, PrintStream out) throws Exception {
        List<BucketMapping> mappings = Preflight.checkSettings(settings);
        SecretMask mask = new SecretMask(settings.secretValues());
        try (MigrationRuntime runtime = MigrationRuntime.start(settings)) {
            try {
                Preflight.checkReadable(runtime, mappings);
            } catch (SettingsException e) {
                out.println(mask.apply(Messages.text("cli.verify.could-not-compare", e.getMessage())));
                return EXIT_COULD_NOT_COMPARE;
            }
            VerifyReport report = verifyAll(runtime, mappings, Path.of(settings.get(Setting.REPORT_DIR)), out);
            report.print(out, mask);
            Path file = report.write(Path.of(settings.get(Setting.REPORT_DIR)), ReportFiles.stamp(report.started()), mask);
            ReportFiles.printWritten(out, file);
            return report.exitCode();
        }
    }

    static VerifyReport verifyAll(MigrationRuntime runtime, List<BucketMapping> mappings, Path reportDir, PrintStream out) {
        Instant started = Instant.now();
        String stamp = ReportFiles.stamp(started); // the report's JSON carries the same time (VerifyReport.started)
        SampleChecker samples = runtime.context().getRegistry().lookupByNameAndType("sampleChecker", SampleChecker.class);
        List<VerifySummary> summaries = new ArrayList<>();
        for (BucketMapping mapping : mappings) {
            out.println(Messages.text("cli.verify.verifying", mapping));
            out.flush();
            Path markers = reportDir.resolve("verify-" + stamp + "-" + mapping.sourceBucket() + ".txt");
            try (CopyPass pass = new CopyPass(mapping); VerifyTally tally = new VerifyTally(markers)) {
                org.apache.camel.Exchange done = runtime.producer().send("direct:verify-bucket", exchange -> {
                    exchange.getIn().setBody(mapping);
                    exchange.setProperty(CopyPass.PROPERTY, pass);
                    exchange.setProperty(VerifyTally.PROPERTY, tally);
                });
                if (done.getException() != null) {
                    pass.stats().passError(StoreException.describe(done.getException()));
                } else {
                    samples.checkSample(tally);
                }
                summaries.add(VerifySummary.of(mapping.sourceBucket(), mapping.describeTarget(), tally, pass.stats().passError()));
            }
        }
        return VerifyReport.of(started, summaries);
    }
}
