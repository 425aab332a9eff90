package io.github.miniomigrator.command;

import io.github.miniomigrator.MigrationRuntime;
import io.github.miniomigrator.MigratorApplication;
import io.github.miniomigrator.SecretMask;
import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.config.StoreSide;
import io.github.miniomigrator.i18n.Messages;
import java.io.PrintStream;
import java.util.List;

/**
 * `check`: the settings checks `run` makes (mappings, credentials present, event mode, the HTTP address's credentials),
 * then, mapping by mapping, each permission the migration needs asked of each store with the migration's own calls
 * ({@link PermissionProbes}), one line per permission: ok, MISSING (the store's answer and the grant to add, in its
 * policy language), not needed (why), could not tell (why). Nothing is left behind: the target's canary object and
 * multipart upload are removed again, the source is only read. Exit 0 when everything needed is there, 2 otherwise
 * (and for a settings error).
 */
public final class CheckCommand {
    private CheckCommand() {
    }

    public static int run(Settings settings, PrintStream out) throws Exception {
        List<BucketMapping> mappings = Preflight.checkSettings(settings);
        Preflight.checkEventSettings(settings);
        Preflight.checkHttpAccess(settings).ifPresent(note -> out.println("Note: " + note + "."));
        Preflight.checkHttpPortFree(settings);
        SecretMask mask = new SecretMask(settings.secretValues());
        try (MigrationRuntime runtime = MigrationRuntime.start(settings)) {
            out.println(Messages.text("cli.check.start", StoreSide.SOURCE.accessKey().key(), StoreSide.TARGET.accessKey().key()));
            PermissionProbes probes = new PermissionProbes(runtime, line -> {
                out.println("  " + mask.apply(line));
                out.flush();
            });
            for (BucketMapping mapping : mappings) {
                out.println(Messages.text("cli.check.mapping", mapping));
                probes.source(mapping);
                probes.target(mapping);
            }
            if (probes.failed() == 0) {
                out.println(Messages.text("cli.check.passed", probes.checked()));
                return 0;
            }
            out.println(probes.missing() > 0 ? Messages.text("cli.check.failed", probes.failed(), probes.checked())
                    : Messages.text("cli.check.failed.fix", probes.failed(), probes.checked()));
            return MigratorApplication.EXIT_CANNOT_START;
        }
    }
}
